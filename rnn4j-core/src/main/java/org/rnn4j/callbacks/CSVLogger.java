package org.rnn4j.callbacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Keras's CSVLogger: writes one row per epoch to a CSV file, as Python's {@code csv} module writes it (excel
 * dialect: {@code \r\n} line ends, fields quoted when they hold the separator, a quote or a line break).
 *
 * <p>The columns are {@code epoch} then the first epoch's log keys sorted; when that epoch has no {@code val_} keys,
 * a {@code val_} column per key is added (filled with {@code NA}), as Keras does so later validation fits the header.
 * Values are written as Python's {@code str(float)}; a key missing from an epoch is {@code NA}. With {@code append}
 * an existing file is continued and its header not repeated.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(20).callbacks(new CSVLogger("training.log")));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class CSVLogger implements Callback {
    private final Path filename;
    private final String separator;
    private final boolean append;
    private Writer out;
    private List<String> keys;
    private boolean appendHeader = true;
    private boolean headerDone;

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public CSVLogger(String filename) { this(filename, ",", false); }

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public CSVLogger(String filename, String separator, boolean append) {
        this(Path.of(filename), separator, append);
    }

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public CSVLogger(Path filename, String separator, boolean append) {
        if (filename == null) throw new IllegalArgumentException("CSVLogger: filename is null");
        if (separator == null || separator.length() != 1) {
            throw new IllegalArgumentException("CSVLogger: separator must be a 1-character string, got \"" + separator + "\"");
        }
        this.filename = filename;
        this.separator = separator;
        this.append = append;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        close();
        try {
            if (append && Files.exists(filename)) {
                try (BufferedReader r = Files.newBufferedReader(filename, StandardCharsets.UTF_8)) {
                    String first = r.readLine();
                    appendHeader = first == null || first.isEmpty();
                }
            } else {
                appendHeader = true;
            }
            Path parent = filename.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            out = Files.newBufferedWriter(filename, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot open \"" + filename + "\" for writing: " + e.getMessage(), e);
        }
        keys = null;
        headerDone = false;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (out == null) onTrainBegin(logs);
        if (keys == null) {
            keys = new ArrayList<>(logs.keySet());
            Collections.sort(keys);
            boolean hasVal = keys.stream().anyMatch(k -> k.startsWith("val_"));
            if (!hasVal && !keys.isEmpty()) {
                List<String> val = new ArrayList<>();
                for (String k : keys) val.add("val_" + k);
                keys.addAll(val);
            }
        }
        try {
            if (!headerDone) {
                if (appendHeader) {
                    List<String> header = new ArrayList<>();
                    header.add("epoch");
                    header.addAll(keys);
                    writeRow(header);
                }
                headerDone = true;
            }
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(epoch));
            for (String k : keys) {
                Double v = logs.get(k);
                row.add(v == null ? "NA" : PythonFormat.repr(v));
            }
            writeRow(row);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot write to \"" + filename + "\": " + e.getMessage(), e);
        }
    }

    private void writeRow(List<String> fields) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(separator);
            sb.append(quote(fields.get(i)));
        }
        sb.append("\r\n");
        out.write(sb.toString());
    }

    /** Python csv's QUOTE_MINIMAL: quote when the field holds the separator, a quote or a line break. */
    private String quote(String f) {
        if (f.contains(separator) || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
            return "\"" + f.replace("\"", "\"\"") + "\"";
        }
        return f;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainEnd(Map<String, Double> logs) { close(); }

    private void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger: cannot close \"" + filename + "\": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }
}
