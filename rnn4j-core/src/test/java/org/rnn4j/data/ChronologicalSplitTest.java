package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChronologicalSplitTest {
    @Test
    void partsAreConsecutiveTestLast() {
        ChronologicalSplit s = ChronologicalSplit.of(144, 0.1, 1.0 / 3);
        assertEquals(48, s.testSize());
        assertEquals(14, s.validationSize());
        assertEquals(82, s.trainSize());
        assertEquals(s.trainEnd(), s.validationStart());
        assertEquals(s.validationEnd(), s.testStart());
        assertEquals(144, s.testEnd());
    }

    @Test
    void noValidation() {
        ChronologicalSplit s = ChronologicalSplit.of(10, 0, 0.2);
        assertEquals(8, s.trainEnd());
        assertEquals(8, s.testStart());
    }

    @Test
    void fractionsLeavingNothingToTrainOnAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, 0.5, 0.5)).getMessage()
                .contains("nothing would be left to train on"));
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, -0.1, 0.2));
    }
}
