package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.Fixture;

/** Functional models written by other libraries: a TensorFlow.js export and a tf.keras 2 HDF5 file. */
class FunctionalFilesTest {
    @Test
    void tensorFlowJsMaskedBidirectionalModelPredictsAsExported() throws Exception {
        Rnn4j.clearSession();
        Path dir = Path.of("../testdata/fixtures/keras-models/bilstm_masked_functional");
        Functional model = assertInstanceOf(Functional.class, Tfjs.load(dir.resolve("model.json")));
        assertEquals(List.of("input_1", "masking", "bidirectional", "dense"), model.layers().stream().map(Layer::name).toList());
        JsonNode data = ModelConfig.mapper().readTree(dir.resolve("test_data.json").toFile());
        Tensor x = Fixture.tensor(data.get("inputs").get(0));
        Fixture.assertClose("predict", Fixture.tensor(data.get("expected_outputs").get(0)), model.predict(x), 2e-5, 1e-4);
    }

    @Test
    void tfKeras2FunctionalHdf5Loads() {
        Rnn4j.clearSession();
        Model model = KerasH5.load(Path.of("../testdata/keras-real/dl4j/no_reference/rnn_29.h5"));
        Functional f = assertInstanceOf(Functional.class, model);
        assertEquals(List.of("InputLayer", "Bidirectional", "Activation", "Bidirectional", "Activation"),
                f.layers().stream().map(Layer::className).toList());
        // Bidirectional(LSTM(6)) on 4 features, then Bidirectional(LSTM(4)) on 12.
        assertEquals(2 * 4 * (6 * (4 + 6) + 6) + 2 * 4 * (4 * (12 + 4) + 4), f.countParams());
        assertArrayEquals(new int[] {2, 3, 8}, f.predict(Tensor.zeros(2, 3, 4)).shape());
    }
}
