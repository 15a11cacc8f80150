package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's error contract under hostile invocations — every command; overflowing, negative and malformed option
 * values; unwritable, missing and special paths; tampered and hostile model files; a diverging learning rate: each
 * ends with exit status 2 and exactly one line on stderr, {@code rnn4j <command>: <what>}, never a stack trace, a
 * usage dump, or an internal error.
 */
class HostileInvocationsTest {
    @TempDir
    static Path dir;
    static Path csv, model;

    @BeforeAll
    static void trainOne() throws IOException {
        StringBuilder sb = new StringBuilder("Date,Temp\n");
        for (int i = 0; i < 40; i++) sb.append(java.time.LocalDate.of(1981, 1, 1).plusDays(i)).append(',').append(10 + i % 7).append(".5\n");
        csv = dir.resolve("t.csv");
        Files.writeString(csv, sb.toString());
        model = dir.resolve("m.keras");
        CliRun r = CliRun.of("fit", "--csv", csv.toString(), "--target", "Temp", "--window", "3", "--epochs", "1", "--verbose", "0",
                "--model", "lstm:2", "--out", model.toString());
        assertEquals(0, r.status(), r.err());
    }

    /** The model with its saved CLI settings edited (the {@code rnn4j_forecast} attachment in metadata.json). */
    static Path tampered(String name, String from, String to) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile in = new ZipFile(model.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("metadata.json")) {
                    String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    String t = s.replaceFirst(from, to);
                    assertTrue(!t.equals(s), "no " + from + " in " + s);
                    b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(b);
                zip.closeEntry();
            }
        }
        return out;
    }

    static String[] fit(String... more) {
        List<String> a = new ArrayList<>(List.of("fit", "--csv", csv.toString(), "--target", "Temp", "--window", "3", "--epochs", "1",
                "--verbose", "0", "--out", dir.resolve("o.keras").toString()));
        // A later occurrence of an option replaces the earlier one? picocli refuses repeats: drop the defaults given again.
        for (int i = 0; i < more.length; i += 2) {
            int at = a.indexOf(more[i]);
            if (at >= 0 && i + 1 < more.length) {
                a.set(at + 1, more[i + 1]);
            } else {
                a.add(more[i]);
                if (i + 1 < more.length) a.add(more[i + 1]);
            }
        }
        return a.toArray(String[]::new);
    }

    static String[] args(String... a) { return a; }

    @Test
    void everyHostileInvocationIsOneLineAndStatusTwo() throws IOException {
        String m = model.toString(), c = csv.toString(), d = dir.toString();
        Path garbage = dir.resolve("garbage.keras");
        Files.write(garbage, new byte[] {'P', 'K', 3, 4, 9, 9, 9, 9});
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello\n");
        Path emptyCsv = dir.resolve("empty.csv");
        Files.writeString(emptyCsv, "");
        Path lambda = dir.resolve("lambda.json");
        Files.writeString(lambda, "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Lambda\", "
                + "\"registered_name\": \"Dense\", \"config\": {\"name\": \"l\", \"units\": 1}}]}}");
        Path hugeUnits = dir.resolve("huge.json");
        Files.writeString(hugeUnits, "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"InputLayer\", "
                + "\"config\": {\"batch_shape\": [null, 3, 1]}}, {\"class_name\": \"LSTM\", \"config\": {\"units\": 4294967297}}]}}");
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "[".repeat(5000) + "]".repeat(5000));
        Path npyDir = Files.createDirectories(dir.resolve("in.npy"));
        Path badNpy = dir.resolve("bad.npy");
        Files.write(badNpy, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xff, (byte) 0x7f});
        Path badCsvIn = dir.resolve("x.csv");
        Files.writeString(badCsvIn, "1,2,nope\n");
        Path windowBig = tampered("w1.keras", "\"window\":3", "\"window\":1000000000000");
        Path windowNeg = tampered("w2.keras", "\"window\":3", "\"window\":-3");
        Path windowText = tampered("w3.keras", "\"window\":3", "\"window\":\"three\"");
        Path horizon = tampered("h.keras", "\"horizon\":1", "\"horizon\":2147483648");
        Path difference = tampered("d.keras", "\"difference\":0", "\"difference\":99999999999");
        Path target = tampered("t.keras", "\"target\":\"Temp\"", "\"target\":\"Nope\"");
        Path noSettings = tampered("n.keras", "\"rnn4j_forecast\"", "\"something_else\"");
        Path scaler = tampered("s.keras", "\"scaler\":\\{", "\"scaler\":\"evil\",\"was\":{");
        Path h5 = Path.of("../testdata/keras-real/dl4j/simple_rnn_tf_keras_2_model.h5").toAbsolutePath();
        Path dag = dir.resolve("dag.h5");
        Files.write(dag, dagOf(Files.readAllBytes(h5)));

        Map<String, String[]> cases = new LinkedHashMap<>();
        // Parse errors: unknown commands and options, missing and malformed values, overflowing integers.
        cases.put("unknown command", args("frobnicate"));
        cases.put("unknown option", args("--frobnicate"));
        cases.put("fit no options", args("fit"));
        cases.put("fit option without value", args("fit", "--csv"));
        cases.put("fit unknown option", fit("--colour", "red"));
        cases.put("help unknown", args("help", "frobnicate"));
        for (String v : new String[] {"abc", "2147483648", "99999999999999999999", "-1", "0", "20000000", "3.5", ""}) {
            cases.put("fit --window " + v, fit("--window", v));
        }
        for (String v : new String[] {"0", "-3", "2147483647", "x"}) cases.put("fit --horizon " + v, fit("--horizon", v));
        for (String v : new String[] {"-1", "0", "3000000000"}) cases.put("fit --epochs " + v, fit("--epochs", v));
        for (String v : new String[] {"0", "-1", "99999999999"}) cases.put("fit --batch-size " + v, fit("--batch-size", v));
        for (String v : new String[] {"-1", "2147483647", "4294967296", "1e3"}) cases.put("fit --difference " + v, fit("--difference", v));
        for (String v : new String[] {"-1", "2147483648"}) cases.put("fit --season " + v, fit("--season", v));
        for (String v : new String[] {"-1", "1e3"}) cases.put("fit --early-stopping " + v, fit("--early-stopping", v));
        for (String v : new String[] {"NaN", "-1", "0", "Infinity", "abc", "1e309"}) cases.put("fit --learning-rate " + v, fit("--learning-rate", v));
        cases.put("fit diverging learning rate", fit("--learning-rate", "1e30", "--epochs", "3", "--scaler", "standard"));
        for (String v : new String[] {"1", "-0.1", "NaN", "2"}) cases.put("fit --validation-split " + v, fit("--validation-split", v));
        cases.put("fit --test-split 1.5", fit("--test-split", "1.5"));
        for (String v : new String[] {"3", "-1", "x"}) cases.put("fit --verbose " + v, fit("--verbose", v));
        cases.put("fit --scaler bogus", fit("--scaler", "bogus"));
        for (String v : new String[] {"lstm:2147483648", "lstm:-1", "lstm:0", "lstm:abc", "lstm", "bogus:3", ",lstm:3", "",
                "lstm:99999999", "gru:4294967297", "missing.json", d}) {
            cases.put("fit --model " + v, fit("--model", v));
        }
        cases.put("fit --model lambda", fit("--model", lambda.toString()));
        cases.put("fit --model huge units", fit("--model", hugeUnits.toString()));
        cases.put("fit --model deep json", fit("--model", deep.toString()));
        cases.put("fit --model /dev/zero", fit("--model", "/dev/zero"));
        for (String v : new String[] {"/", "/dev/null", d, dir.resolve("x.txt").toString(), "/proc/x.keras", "/proc/self/x/y.keras"}) {
            cases.put("fit --out " + v, fit("--out", v));
        }
        for (String v : new String[] {"/dev/zero", d, dir.resolve("missing.csv").toString(), emptyCsv.toString(), text.toString(),
                m, "/proc/self/mem"}) {
            cases.put("fit --csv " + v, fit("--csv", v));
        }
        cases.put("fit --target missing column", fit("--target", "Nope"));
        cases.put("fit --features missing", fit("--features", "A,B"));
        cases.put("fit --plot-model /", fit("--plot-model", "/"));
        cases.put("fit --plot-model dir", fit("--plot-model", d));

        // evaluate and forecast: missing, garbage, hostile and tampered models; special files; bad numbers.
        for (String[] mm : new String[][] {{"missing", dir.resolve("missing.keras").toString()}, {"garbage", garbage.toString()},
                {"dir", d}, {"/dev/zero", "/dev/zero"}, {"text", text.toString()}, {"dag", dag.toString()},
                {"window 1e12", windowBig.toString()}, {"window -3", windowNeg.toString()}, {"window text", windowText.toString()},
                {"horizon 2^31", horizon.toString()}, {"difference 1e11", difference.toString()}, {"target", target.toString()},
                {"no settings", noSettings.toString()}, {"scaler", scaler.toString()}}) {
            cases.put("evaluate --model " + mm[0], args("evaluate", "--model", mm[1], "--csv", c));
            cases.put("forecast --model " + mm[0], args("forecast", "--model", mm[1], "--csv", c, "--steps", "2"));
        }
        cases.put("evaluate --csv /dev/zero", args("evaluate", "--model", m, "--csv", "/dev/zero"));
        cases.put("evaluate --csv dir", args("evaluate", "--model", m, "--csv", d));
        cases.put("evaluate --season -1", args("evaluate", "--model", m, "--csv", c, "--season", "-1"));
        cases.put("evaluate --season overflow", args("evaluate", "--model", m, "--csv", c, "--season", "2147483648"));
        cases.put("evaluate --test-split 2", args("evaluate", "--model", m, "--csv", c, "--test-split", "2"));
        cases.put("evaluate --plot /", args("evaluate", "--model", m, "--csv", c, "--plot", "/"));
        cases.put("evaluate no csv", args("evaluate", "--model", m));
        for (String v : new String[] {"-1", "0", "2147483648", "99999999", "x"}) {
            cases.put("forecast --steps " + v, args("forecast", "--model", m, "--csv", c, "--steps", v));
        }
        cases.put("forecast --out /", args("forecast", "--model", m, "--csv", c, "--steps", "2", "--out", "/"));
        cases.put("forecast --out dir", args("forecast", "--model", m, "--csv", c, "--steps", "2", "--out", d));
        cases.put("forecast --out /dev/full", args("forecast", "--model", m, "--csv", c, "--steps", "2", "--out", "/dev/full"));
        cases.put("forecast --plot /", args("forecast", "--model", m, "--csv", c, "--steps", "2", "--plot", "/"));
        cases.put("forecast --csv /dev/zero", args("forecast", "--model", m, "--csv", "/dev/zero", "--steps", "2"));

        // predict: inputs that are folders, special, malformed; outputs that cannot be written.
        Path xcsv = dir.resolve("ok.csv");
        Files.writeString(xcsv, "1,2,3\n");
        cases.put("predict --input dir", args("predict", "--model", m, "--input", npyDir.toString(), "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --input dir csv", args("predict", "--model", m, "--input", Files.createDirectories(dir.resolve("in.csv")).toString(),
                "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --input /dev/zero", args("predict", "--model", m, "--input", "/dev/zero", "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --input missing", args("predict", "--model", m, "--input", dir.resolve("nope.csv").toString(), "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --input bad npy", args("predict", "--model", m, "--input", badNpy.toString(), "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --input bad csv", args("predict", "--model", m, "--input", badCsvIn.toString(), "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --input txt", args("predict", "--model", m, "--input", text.toString(), "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --output /", args("predict", "--model", m, "--input", xcsv.toString(), "--output", "/"));
        cases.put("predict --output dir", args("predict", "--model", m, "--input", xcsv.toString(), "--output", d));
        cases.put("predict --output /proc", args("predict", "--model", m, "--input", xcsv.toString(), "--output", "/proc/y.csv"));
        for (String v : new String[] {"0", "-1", "2147483648"}) {
            cases.put("predict --batch-size " + v, args("predict", "--model", m, "--input", xcsv.toString(), "--output",
                    dir.resolve("y.csv").toString(), "--batch-size", v));
        }
        cases.put("predict --model garbage", args("predict", "--model", garbage.toString(), "--input", xcsv.toString(), "--output", dir.resolve("y.csv").toString()));
        cases.put("predict --model dag", args("predict", "--model", dag.toString(), "--input", xcsv.toString(), "--output", dir.resolve("y.csv").toString()));

        // summary, bench, conformance, the demos.
        for (String[] s : new String[][] {{"missing", dir.resolve("nope.keras").toString()}, {"dir", d}, {"garbage", garbage.toString()},
                {"/dev/zero", "/dev/zero"}, {"dag", dag.toString()}, {"lambda json", lambda.toString()}, {"deep", deep.toString()}}) {
            cases.put("summary " + s[0], args("summary", s[1]));
        }
        cases.put("summary --plot-model /", args("summary", m, "--plot-model", "/"));
        cases.put("summary two weights", args("summary", m, garbage.toString()));
        cases.put("bench --workloads missing", args("bench", "--workloads", dir.resolve("nope.json").toString()));
        cases.put("bench --workloads /dev/zero", args("bench", "--workloads", "/dev/zero"));
        cases.put("bench --workloads garbage", args("bench", "--workloads", text.toString()));
        cases.put("bench --only nothing", args("bench", "--only", "no-such-workload"));
        cases.put("conformance missing", args("conformance", dir.resolve("nope").toString()));
        cases.put("conformance /dev/zero", args("conformance", "/dev/zero"));
        cases.put("conformance garbage", args("conformance", text.toString()));
        cases.put("conformance none", args("conformance"));
        cases.put("demo --epochs -1", args("demo", "--epochs", "-1"));
        cases.put("demo --epochs overflow", args("demo", "--epochs", "2147483648"));
        cases.put("demo --verbose 9", args("demo", "--verbose", "9"));
        cases.put("demo --seed abc", args("demo", "--seed", "abc"));
        cases.put("demo --out-dir /proc", args("demo", "--out-dir", "/proc/demo", "--epochs", "1"));
        cases.put("notebook --seed abc", args("notebook", "--seed", "abc"));
        cases.put("stateful-demo --epochs -1", args("stateful-demo", "--epochs", "-1"));
        cases.put("stateful-demo --epochs overflow", args("stateful-demo", "--epochs", "99999999999"));
        cases.put("seq2seq-demo --epochs -1", args("seq2seq-demo", "--epochs", "-1"));
        cases.put("seq2seq-demo --target abc", args("seq2seq-demo", "--target", "abc"));

        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, String[]> e : cases.entrySet()) {
            CliRun r = CliRun.of(e.getValue());
            String[] lines = r.err().split("\n", -1);
            boolean oneLine = r.err().endsWith("\n") && lines.length == 2 && lines[0].startsWith("rnn4j ");
            boolean clean = !r.err().contains("\tat ") && !r.err().contains("internal error") && !r.err().contains("Usage:");
            if (r.status() != 2 || !oneLine || !clean) broken.add(e.getKey() + " -> status " + r.status() + ", stderr: " + r.err());
        }
        assertTrue(cases.size() >= 100, cases.size() + " cases");
        assertEquals(List.of(), broken, broken.size() + " of " + cases.size() + " broke the contract");
    }

    /** An HDF5 file whose root group's B-tree is a 30-level DAG (as the core's hostile corpus builds it). */
    static byte[] dagOf(byte[] h5) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(h5).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long btree = in.getLong(80), heap = in.getLong(88);
        int levels = 30, nodeSize = 64;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(h5.length + levels * nodeSize).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(h5);
        long below = btree;
        for (int level = 1; level <= levels; level++) {
            long at = out.position();
            out.put(new byte[] {'T', 'R', 'E', 'E', 0, (byte) level}).putShort((short) 2).putLong(-1L).putLong(-1L);
            out.putLong(0).putLong(below).putLong(0).putLong(below).putLong(0);
            below = at;
        }
        byte[] b = out.array();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 16 <= h5.length; i++) if (bb.getLong(i) == btree && bb.getLong(i + 8) == heap) bb.putLong(i, below);
        bb.putLong(40, b.length);
        return b;
    }
}
