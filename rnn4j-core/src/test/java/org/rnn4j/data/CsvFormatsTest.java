package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV shapes real files come in (RFC 4180 quoting with delimiters and line breaks inside fields, BOM, CRLF, tab
 * and semicolon delimiters, no header, zoned date-times, other date formats) parse correctly; shapes that make no
 * sense (a ragged row, one column where a target is named, a date column that does not parse) fail naming file, row
 * and column.
 */
class CsvFormatsTest {
    private static CsvTable parse(String text, CsvOptions o) { return CsvTable.parse("t.csv", text, o); }

    private static CsvTable parse(String text) { return parse(text, CsvOptions.defaults()); }

    @Test
    void quotedFieldsHoldDelimitersQuotesAndLineBreaks() {
        CsvTable t = parse("Date,Note,Value\n2020-01-01,\"one, two\",1\n2020-01-02,\"line 1\nline \"\"2\"\"\",2\n2020-01-03,x,3\n");
        assertEquals(3, t.size());
        assertEquals("line 1\nline \"2\"", t.strings("Note")[1]);
        assertArrayEquals(new float[] {1, 2, 3}, t.numeric("Value"));
        assertEquals(5, t.rowNumber(2), "the row after a two-line field starts on line 5");
    }

    @Test
    void byteOrderMarkAndCrlf(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bom.csv");
        Files.write(f, "\uFEFFMonth,Passengers\r\n1949-01,112\r\n1949-02,118\r\n".getBytes(StandardCharsets.UTF_8));
        CsvTable t = CsvTable.read(f);
        assertEquals(List.of("Month", "Passengers"), t.columns());
        assertArrayEquals(new float[] {112, 118}, t.numeric("Passengers"));
        assertEquals(LocalDateTime.of(1949, 2, 1, 0, 0), t.dates("Month")[1]);
    }

    @Test
    void tabAndSemicolonAreDetectedOrGiven() {
        String tsv = "Date\tTemp\n1981-01-01\t20.7\n1981-01-02\t17.9\n";
        assertArrayEquals(new float[] {20.7f, 17.9f}, parse(tsv).numeric("Temp"));
        assertArrayEquals(new float[] {20.7f, 17.9f}, parse(tsv, CsvOptions.defaults().delimiter("tab")).numeric("Temp"));
        String semi = "Date;Temp\n1981-01-01;\"20,7\"\n1981-01-02;17.9\n";
        assertEquals("20,7", parse(semi).strings("Temp")[0]);
        assertEquals("20,7", parse(semi, CsvOptions.defaults().delimiter("semicolon")).strings("Temp")[0]);
        assertEquals(';', CsvTable.detectDelimiter("a;b;c\n1,5;2;3"));
        assertEquals(',', CsvTable.detectDelimiter("value\n1\n"));
        assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().delimiter("pipe"));
    }

    @Test
    void withoutAHeaderColumnsAreNumberedFromOne() {
        CsvTable t = parse("1949-01,112\n1949-02,118\n", CsvOptions.defaults().header(false));
        assertEquals(List.of("1", "2"), t.columns());
        assertEquals(2, t.size());
        assertArrayEquals(new float[] {112, 118}, t.numeric("2"));
        assertEquals("1", t.dateColumn());
    }

    @Test
    void raggedRowsNameFileRowAndColumn() {
        assertEquals("t.csv: row 3, column \"Temp\": expected 2 fields as in the header (Date,Temp), got 1: column \"Temp\" is missing",
                assertThrows(CsvException.class, () -> parse("Date,Temp\n1981-01-01,1\n1981-01-02\n")).getMessage());
        assertEquals("t.csv: row 2: expected 2 fields as in the header (Date,Temp), got 3: field 3 (\"9\") has no column",
                assertThrows(CsvException.class, () -> parse("Date,Temp\n1981-01-01,1,9\n")).getMessage());
        assertEquals("t.csv: row 2, column \"2\": expected 2 fields as in the first row (1,2), got 1: column \"2\" is missing",
                assertThrows(CsvException.class, () -> parse("5,1\n6\n", CsvOptions.defaults().header(false))).getMessage());
    }

    @Test
    void oneColumnWhereATargetIsNamedIsAnError() {
        CsvTable t = parse("Date|Temp\n1981-01-01|1\n");
        CsvException e = assertThrows(CsvException.class, () -> t.numeric("Temp"));
        assertEquals("t.csv: column \"Temp\": no such column: the file was read as a single column (\"Date|Temp\") with the"
                + " delimiter comma; expected a delimiter between columns: give the delimiter (comma, tab, semicolon) or check the file",
                e.getMessage());
        // A tab-separated file read with an explicit comma: one column, and the same message.
        CsvTable tsv = parse("Date\tTemp\n1981-01-01\t1\n", CsvOptions.defaults().delimiter("comma"));
        assertEquals("Temp", assertThrows(CsvException.class, () -> tsv.numeric("Temp")).column());
    }

    @Test
    void isoDatesWithZonesAndOtherFormats() {
        CsvTable z = parse("Time,V\n2020-03-29T00:30:00+01:00,1\n2020-03-29T03:30:00+02:00,2\n2020-03-29 02:00Z,3\n");
        assertEquals("Time", z.dateColumn());
        LocalDateTime[] d = z.dates("Time");
        assertEquals(LocalDateTime.of(2020, 3, 28, 23, 30), d[0]); // converted to UTC
        assertEquals(LocalDateTime.of(2020, 3, 29, 1, 30), d[1]);
        assertEquals(LocalDateTime.of(2020, 3, 29, 2, 0), d[2]);
        assertEquals(LocalDateTime.of(2020, 1, 1, 6, 0), CsvTable.parseDate("2020-01-01T07:00+01:00[Europe/Paris]"));

        CsvTable f = parse("Day,V\n31/01/1981,1\n01/02/1981,2\n", CsvOptions.defaults().dateFormat("dd/MM/yyyy"));
        assertEquals("Day", f.dateColumn());
        assertEquals(LocalDateTime.of(1981, 2, 1, 0, 0), f.dates("Day")[1]);
        assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().dateFormat("yyyy-MM-dd {"));
    }

    @Test
    void anUnparseableDateColumnIsAnErrorNotRowNumbers() {
        CsvException e = assertThrows(CsvException.class, () -> parse("Date,V\n31/01/1981,1\n01/02/1981,2\n").dateColumn());
        assertEquals("t.csv: row 2, column \"Date\": expected a date like 1949-01, 1981-01-31, 1981-01-31T06:00 or"
                + " 1981-01-31T06:00+02:00, got \"31/01/1981\" (give a date format for other forms, e.g. dd/MM/yyyy)", e.getMessage());
        CsvTable f = parse("Date,V\n1981-01-31,1\n1981-02-30x,2\n");
        assertEquals("Date", f.dateColumn());
        assertEquals(3, assertThrows(CsvException.class, () -> f.dates("Date")).row());
        CsvTable g = parse("Day,V\n1981/01/31,1\n", CsvOptions.defaults().dateFormat("dd/MM/yyyy"));
        assertEquals("t.csv: row 2, column \"Day\": expected a date in the format dd/MM/yyyy, got \"1981/01/31\"",
                assertThrows(CsvException.class, g::dateColumn).getMessage());
    }

    @Test
    void anUnclosedQuoteNamesTheRow() {
        CsvException e = assertThrows(CsvException.class, () -> parse("a,b\n1,\"2\n3,4\n"));
        assertEquals("t.csv", e.file());
    }
}
