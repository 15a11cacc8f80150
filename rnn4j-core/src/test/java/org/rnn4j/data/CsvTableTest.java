package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTableTest {
    private static CsvTable parse(String... lines) { return CsvTable.parse("t.csv", List.of(lines)); }

    @Test
    void readsTheBundledAirlineData() {
        CsvTable t = CsvTable.read(Path.of("../testdata/datasets/airline-passengers.csv"));
        assertEquals(List.of("Month", "Passengers"), t.columns());
        assertEquals(144, t.size());
        float[] p = t.numeric("Passengers");
        assertEquals(112f, p[0]);
        assertEquals(432f, p[143]);
        assertEquals("Month", t.dateColumn());
        assertEquals(LocalDateTime.of(1960, 12, 1, 0, 0), t.dates("Month")[143]);
    }

    @Test
    void quotedFieldsBlankLinesAndByteOrderMark() {
        CsvTable t = parse("\uFEFFDate,\"Sales, total\",Note", "2020-01-01, 1.5 ,\"a \"\"b\"\", c\"", "", "2020-01-02,2,x");
        assertEquals(List.of("Date", "Sales, total", "Note"), t.columns());
        assertArrayEquals(new float[] {1.5f, 2f}, t.numeric("Sales, total"));
        assertEquals("a \"b\", c", t.strings("Note")[0]);
        assertEquals(4, t.rowNumber(1)); // the blank line still counts as a row of the file
    }

    @Test
    void dateColumnIsNullWithoutDates() {
        assertNull(parse("a,b", "1,2").dateColumn());
        assertEquals(LocalDateTime.of(1981, 1, 31, 6, 0), CsvTable.parseDate("1981-01-31 06:00"));
    }

    @Test
    void errorsNameFileRowColumnAndExpectation() {
        assertEquals("t.csv: row 3, column \"Temp\": expected a number, got \"?0.2\"",
                assertThrows(CsvException.class, () -> parse("Date,Temp", "1981-01-01,20.7", "1981-01-02,?0.2").numeric("Temp"))
                        .getMessage());
        assertEquals("t.csv: row 2, column \"Temp\": expected a number, got an empty cell",
                assertThrows(CsvException.class, () -> parse("Date,Temp", "1981-01-01,").numeric("Temp")).getMessage());
        assertEquals("t.csv: column \"Tmp\": no such column, expected one of: Date, Temp",
                assertThrows(CsvException.class, () -> parse("Date,Temp", "1981-01-01,1").numeric("Tmp")).getMessage());
        assertEquals("t.csv: column \"temp\": no such column; did you mean \"Temp\"? (columns: Date, Temp)",
                assertThrows(CsvException.class, () -> parse("Date,Temp", "1981-01-01,1").numeric("temp")).getMessage());
        assertEquals("t.csv: the file is empty, expected a header row and data rows",
                assertThrows(CsvException.class, () -> parse()).getMessage());
        assertEquals("t.csv: has a header row but no data rows",
                assertThrows(CsvException.class, () -> parse("Date,Temp")).getMessage());
        assertEquals("t.csv: row 3: expected 2 fields as in the header (Date,Temp), got 3: field 3 (\"2\") has no column",
                assertThrows(CsvException.class, () -> parse("Date,Temp", "1981-01-01,1", "1981-01-02,1,2")).getMessage());
        assertEquals("t.csv: row 2, column \"Date\": expected a date like 1949-01, 1981-01-31, 1981-01-31T06:00 or "
                + "1981-01-31T06:00+02:00, got \"soon\" (give a date format for other forms, e.g. dd/MM/yyyy)",
                assertThrows(CsvException.class, () -> parse("Date,Temp", "soon,1").dates("Date")).getMessage());
        CsvException missing = assertThrows(CsvException.class, () -> CsvTable.read(Path.of("no/such.csv")));
        assertEquals("no/such.csv: no such file", missing.getMessage());
        assertEquals(0, missing.row());
    }
}
