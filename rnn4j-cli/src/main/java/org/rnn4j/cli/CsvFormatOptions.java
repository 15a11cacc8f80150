package org.rnn4j.cli;

import org.rnn4j.data.CsvOptions;
import picocli.CommandLine.Option;

/** The options that say how a CSV is laid out, shared by fit, evaluate and forecast (a picocli mixin). */
final class CsvFormatOptions {
    @Option(names = "--delimiter", paramLabel = "comma|tab|semicolon|auto",
            description = "Field delimiter (default: ${DEFAULT-VALUE}: the one of the three most frequent in the first row).")
    String delimiter = "auto";

    @Option(names = "--no-header", description = "The first row is data; columns are named 1, 2, 3, ... (e.g. --target 2).")
    boolean noHeader;

    @Option(names = "--date-format", paramLabel = "PATTERN",
            description = "How the date column is written when it is not ISO (e.g. dd/MM/yyyy or 'MM/dd/yyyy HH:mm'; "
                    + "default: ISO dates and date-times, with or without a zone).")
    String dateFormat;

    /** The options as given; a bad delimiter or pattern is one line naming the option. */
    CsvOptions toOptions() {
        CsvOptions o = CsvOptions.defaults().header(!noHeader);
        try {
            o = o.delimiter(delimiter);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--delimiter: " + e.getMessage());
        }
        try {
            return o.dateFormat(dateFormat);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--date-format: " + e.getMessage());
        }
    }
}
