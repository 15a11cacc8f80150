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
        assertEquals(10, s.validationSize()); // a tenth of the 96 months before the test part, as Keras's validation_split
        assertEquals(86, s.trainSize());      // floor(96 * 0.9), Keras's split_at
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
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(2, 0.5, 0.5)).getMessage()
                .contains("leaves nothing to train on"));
        ChronologicalSplit half = ChronologicalSplit.of(10, 0.5, 0.5); // a share of the rest: 2 train, 3 validation, 5 test
        assertEquals(2, half.trainSize());
        assertEquals(3, half.validationSize());
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, -0.1, 0.2));
    }
}
