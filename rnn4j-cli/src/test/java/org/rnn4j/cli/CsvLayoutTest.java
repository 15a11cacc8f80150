package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV layouts of real files through {@code fit}: quoted line breaks, BOM and CRLF, tab without a header, a date
 * format; and the shapes that make no sense (a ragged row, one column, an unparseable date column) fail on one line
 * naming file, row and column.
 */
class CsvLayoutTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** 40 rows of a date, a quoted note (some with a comma or a line break) and a value, with the given layout. */
    private static String series(String sep, String eol, boolean header, boolean isoDates) {
        StringBuilder sb = new StringBuilder(header ? "Date" + sep + "Note" + sep + "Value" + eol : "");
        for (int t = 0; t < 40; t++) {
            String date = isoDates ? String.format("2020-02-%02dT00:00Z", 1 + t % 28).replace("2020-02", t < 28 ? "2020-02" : "2020-03")
                    : String.format("%02d/%02d/2020", 1 + t % 28, t < 28 ? 2 : 3);
            String note = t % 3 == 0 ? "\"a" + sep + " b\"" : t % 3 == 1 ? "\"line one" + eol + "line two\"" : "plain";
            sb.append(date).append(sep).append(note).append(sep).append(Math.sin(t / 3.0) + 2).append(eol);
        }
        return sb.toString();
    }

    private CliRun fit(Path csv, String target, String... extra) {
        String[] base = {"fit", "--csv", csv.toString(), "--target", target, "--window", "4", "--epochs", "1", "--verbose", "0",
                "--out", dir.resolve("m.keras").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void quotedLineBreaksBomCrlfTabNoHeaderAndDateFormatsParse() throws Exception {
        CliRun crlf = fit(write("crlf.csv", "\uFEFF" + series(",", "\r\n", true, true)), "Value");
        assertEquals(0, crlf.status(), crlf.err());
        assertTrue(crlf.out().contains("40 rows (2020-02-01T00:00Z to 2020-03-12T00:00Z)"), crlf.out());
        CliRun tab = fit(write("t.tsv", series("\t", "\n", false, true)), "3", "--no-header");
        assertEquals(0, tab.status(), tab.err());
        assertTrue(tab.out().contains("40 rows"), tab.out());
        CliRun semi = fit(write("s.csv", series(";", "\n", true, false)), "Value", "--delimiter", "semicolon",
                "--date-format", "dd/MM/yyyy");
        assertEquals(0, semi.status(), semi.err());
        assertTrue(semi.out().contains("40 rows (01/02/2020 to 12/03/2020)"), semi.out());
    }

    @Test
    void shapesThatMakeNoSenseAreOneLineNamingFileRowAndColumn() throws Exception {
        Path ragged = write("ragged.csv", "Date,Value\n2020-01-01,1\n2020-01-02\n");
        CliRun r = fit(ragged, "Value");
        assertEquals(2, r.status());
        assertEquals("rnn4j fit: " + ragged + ": row 3, column \"Value\": expected 2 fields as in the header (Date,Value), got 1: "
                + "column \"Value\" is missing\n", r.err());

        Path one = write("one.csv", "Date|Value\n2020-01-01|1\n");
        CliRun o = fit(one, "Value");
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("rnn4j fit: " + one + ": column \"Value\": no such column: the file was read as a single column"),
                o.err());

        Path dates = write("dates.csv", series(",", "\n", true, false));
        CliRun d = fit(dates, "Value");
        assertEquals(2, d.status());
        assertTrue(d.err().startsWith("rnn4j fit: " + dates + ": row 2, column \"Date\": expected a date like 1949-01"), d.err());

        CliRun bad = fit(dates, "Value", "--delimiter", "pipe");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--delimiter"), bad.err());
    }
}
