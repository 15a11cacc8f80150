package org.rnn4j.layers.recurrent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The stateful keys of the keras-js GRU and SimpleRNN files (Keras 2.0: GRU without reset_after, hard_sigmoid):
 * Keras called predict twice on the one sample with stateful=True; the second output is the reference.
 */
class StatefulCellsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys 5..8: {return_sequences, go_backwards, use_bias}. */
    private static final boolean[][] OPTIONS = {{false, false, true}, {true, false, true}, {false, true, true}, {true, true, false}};

    @Test
    void kerasJsStatefulGruKeys() throws IOException {
        JsonNode all = JSON.readTree(new File("../testdata/keras-real/keras-js/GRU.json"));
        for (int k = 5; k <= 8; k++) {
            boolean[] o = OPTIONS[k - 5];
            GRU gru = new GRU(4).resetAfter(false).recurrentActivation("hard_sigmoid").useBias(o[2]).stateful(true)
                    .returnSequences(o[0]).goBackwards(o[1]).batchInputShape(1, 3, 6);
            StatefulTest.assertKerasJsSecondCall(gru, all.get("recurrent.GRU." + k), "recurrent.GRU." + k);
        }
    }

    @Test
    void kerasJsStatefulSimpleRnnKeys() throws IOException {
        JsonNode all = JSON.readTree(new File("../testdata/keras-real/keras-js/SimpleRNN.json"));
        for (int k = 5; k <= 8; k++) {
            boolean[] o = OPTIONS[k - 5];
            SimpleRNN rnn = new SimpleRNN(4).useBias(o[2]).stateful(true).returnSequences(o[0]).goBackwards(o[1])
                    .batchInputShape(1, 7, 6);
            StatefulTest.assertKerasJsSecondCall(rnn, all.get("recurrent.SimpleRNN." + k), "recurrent.SimpleRNN." + k);
        }
    }
}
