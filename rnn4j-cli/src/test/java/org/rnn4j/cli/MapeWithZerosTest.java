package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test part whose actual values include zeros: MAPE is omitted with the reason, RMSE and MAE are still given. */
class MapeWithZerosTest {
    @Test
    void mapeIsOmittedWithTheReason(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("t,y\n");
        for (int t = 0; t < 80; t++) sb.append(t).append(',').append(t % 4).append('\n'); // 0, 1, 2, 3, 0, ...
        Path csv = Files.writeString(dir.resolve("zeros.csv"), sb.toString());
        CliRun fit = CliRun.of("fit", "--csv", csv.toString(), "--target", "y", "--window", "4", "--epochs", "1", "--verbose", "0",
                "--out", dir.resolve("z.keras").toString());
        assertEquals(0, fit.status(), fit.err());
        assertTrue(Pattern.compile("(?m)^  persistence +\\S+ +\\S+ +-$").matcher(fit.out()).find(), fit.out());
        assertTrue(fit.out().contains("(MAPE omitted: the test part's actual values include zeros, where a percentage error is "
                + "undefined)"), fit.out());
    }
}
