package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.KerasVersion;
import org.rnn4j.io.LayerRegistry;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.merging.Average;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Multiply;
import org.rnn4j.layers.merging.Subtract;
import org.rnn4j.layers.reshaping.Flatten;
import org.rnn4j.layers.reshaping.Permute;
import org.rnn4j.layers.reshaping.RepeatVector;
import org.rnn4j.layers.reshaping.Reshape;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * What every merge and reshaping layer promises: the symbolic output shape is the shape a forward pass produces,
 * backward returns one gradient of each input's shape, and the Keras config builds the same layer again.
 */
class MergeReshapeContractTest {
    static Stream<Arguments> layers() {
        int[][] two = {{3, 4, 2}, {3, 4, 2}};
        return Stream.of(
                Arguments.of("Add", (Supplier<Layer>) Add::new, two),
                Arguments.of("Subtract", (Supplier<Layer>) Subtract::new, two),
                Arguments.of("Multiply", (Supplier<Layer>) Multiply::new, new int[][] {{3, 4, 2}, {3, 4, 2}, {3, 4, 2}}),
                Arguments.of("Average", (Supplier<Layer>) Average::new, two),
                Arguments.of("Concatenate", (Supplier<Layer>) Concatenate::new, new int[][] {{3, 4, 2}, {3, 4, 5}}),
                Arguments.of("Concatenate(1)", (Supplier<Layer>) () -> new Concatenate(1), new int[][] {{3, 4, 2}, {3, 1, 2}}),
                Arguments.of("Flatten", (Supplier<Layer>) Flatten::new, new int[][] {{3, 4, 2}}),
                Arguments.of("Reshape", (Supplier<Layer>) () -> new Reshape(2, -1), new int[][] {{3, 4, 2}}),
                Arguments.of("RepeatVector", (Supplier<Layer>) () -> new RepeatVector(3), new int[][] {{3, 5}}),
                Arguments.of("Permute", (Supplier<Layer>) () -> new Permute(2, 1), new int[][] {{3, 4, 2}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void keepsTheLayerContract(String label, Supplier<Layer> make, int[][] shapes) {
        Layer layer = make.get();
        KerasTensor[] symbolic = new KerasTensor[shapes.length];
        Tensor[] values = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            int[] s = shapes[i];
            int[] rest = java.util.Arrays.copyOfRange(s, 1, s.length);
            symbolic[i] = new Input(rest);
            values[i] = GradientCheck.random(i + 1, s);
        }
        int[] declared = layer.apply(symbolic).shape();
        Pass pass = layer.call(values, null, false);
        int[] got = pass.output().shape();
        declared[0] = got[0];
        assertArrayEquals(declared, got, label + ": symbolic and computed output shapes differ");
        Tensor[] grads = pass.backward(new Tensor[] {GradientCheck.random(9, got)});
        assertEquals(values.length, grads.length);
        for (int i = 0; i < values.length; i++) assertArrayEquals(values[i].shape(), grads[i].shape(), label + " gradient " + i);

        // The Keras 3 config builds an equal layer (same class, same config, same outputs).
        var spec = ModelConfig.mapper().valueToTree(ModelConfig.serializeLayer(layer));
        Layer again = LayerRegistry.create((com.fasterxml.jackson.databind.JsonNode) spec, KerasVersion.KERAS_3);
        assertEquals(layer.className(), again.className());
        assertEquals(layer.getConfig(), again.getConfig());
        assertArrayEquals(pass.output().data(), again.call(values, null, false).output().data());
    }
}
