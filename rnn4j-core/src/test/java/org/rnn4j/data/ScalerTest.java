package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalerTest {
    // Column 0 trains on 2, 4, 6 (rows 0-2) and tests on 10; column 1 is constant in training.
    private final float[][] columns = {{2, 4, 6, 10}, {5, 5, 5, 7}};

    @Test
    void minMaxFitsOnTrainingRowsOnly() {
        Scaler s = new MinMaxScaler().fit(columns, 0, 3);
        float[][] z = s.transform(columns);
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 2f}, z[0]);   // the test value 10 lies outside [0, 1]
        assertArrayEquals(new float[] {0f, 0f, 0f, 2f}, z[1]);     // constant column: scale 1
        assertEquals(10f, s.inverse(2f, 0), 1e-6);
    }

    @Test
    void standardUsesPopulationStd() {
        Scaler s = new StandardScaler().fit(columns, 0, 3);
        // mean 4, std sqrt(8/3)
        assertEquals(0f, s.transform(4f, 0), 1e-6);
        assertEquals((float) (2 / Math.sqrt(8.0 / 3)), s.transform(6f, 0), 1e-6);
        assertEquals(6f, s.inverse(s.transform(6f, 0), 0), 1e-5);
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Scaler s : List.of(new MinMaxScaler().fit(columns, 0, 3), new StandardScaler().fit(columns, 0, 3))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> back = json.readValue(json.writeValueAsString(s.toMap()), Map.class);
            Scaler t = Scaler.fromMap(back);
            assertInstanceOf(s.getClass(), t);
            for (int c = 0; c < 2; c++) {
                for (float v : columns[c]) assertEquals(s.transform(v, c), t.transform(v, c), 1e-6);
            }
        }
        assertEquals("MinMaxScaler", new MinMaxScaler().fit(columns, 0, 3).toMap().get("class_name"));
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertEquals("MinMaxScaler is not fitted: call fit(...) first",
                assertThrows(IllegalStateException.class, () -> new MinMaxScaler().transform(1f, 0)).getMessage());
        assertEquals("Unknown scaler: robust (expected minmax or standard)",
                assertThrows(IllegalArgumentException.class, () -> Scaler.byName("robust")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StandardScaler().fit(columns, 2, 2));
    }
}
