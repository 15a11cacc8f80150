package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;

/** The {@code dtype} of a layer config as each Keras 3 release writes it: float layers load float, int8 ones int8. */
class DtypePolicyTest {
    private static Layer dense(String dtypeJson) throws Exception {
        String spec = "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3, \"dtype\": " + dtypeJson + "}}";
        Layer l = LayerRegistry.create(new ObjectMapper().readTree(spec), KerasVersion.KERAS_3);
        l.build(new int[] {-1, 4});
        return l;
    }

    @Test
    void quantizedPoliciesOfEveryKeras3FormLoadInt8() throws Exception {
        // Keras 3.4 and later.
        assertEquals("int8", dense("{\"module\": \"keras\", \"class_name\": \"QuantizedDTypePolicy\", "
                + "\"config\": {\"mode\": \"int8\", \"source_name\": \"float32\"}, \"registered_name\": null}").quantizationMode());
        // Keras 3.3: the policy's name.
        assertEquals("int8", dense("{\"module\": \"keras.dtype_policies\", \"class_name\": \"QuantizedDTypePolicy\", "
                + "\"config\": {\"name\": \"int8_from_float32\"}, \"registered_name\": null}").quantizationMode());
        assertEquals("int8", dense("\"int8_from_float32\"").quantizationMode());
        Layer d = dense("\"int8_from_float32\"");
        assertEquals(java.util.List.of("kernel", "bias", "kernel_scale"), d.weights().stream().map(w -> w.name()).toList());
        assertEquals("int8", d.weights().get(0).dtype());
    }

    @Test
    void floatPoliciesLoadFloat() throws Exception {
        assertNull(dense("\"float32\"").quantizationMode());
        assertNull(dense("{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}, "
                + "\"registered_name\": null}").quantizationMode());
        assertNull(dense("\"mixed_float16\"").quantizationMode());
        assertNull(dense("null").quantizationMode());
    }

    @Test
    void otherQuantizationModesAreRefusedNamingTheLayerAndMode() {
        for (String p : new String[] {"\"int4_from_float32\"", "{\"class_name\": \"QuantizedFloat8DTypePolicy\", "
                + "\"config\": {\"mode\": \"float8\", \"source_name\": \"float32\", \"amax_history_length\": 1024}}"}) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> dense(p));
            assertTrue(e.getMessage().contains("\"d\"") && e.getMessage().contains("rnn4j loads int8-quantized layers only"),
                    e.getMessage());
        }
        // A layer kind rnn4j cannot quantize, said to be int8: refused at load, naming it.
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> LayerRegistry.create(new ObjectMapper().readTree(
                "{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"n\", \"dtype\": \"int8_from_float32\"}}"),
                KerasVersion.KERAS_3));
        assertTrue(e.getMessage().contains("cannot quantize this kind of layer"), e.getMessage());
    }
}
