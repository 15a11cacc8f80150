package org.rnn4j.onnx;

import static org.rnn4j.onnx.PyTorchFixturesTest.assertClose;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.tensor.Tensor;

/**
 * Every exportable kind of model through {@code .keras → .onnx → .keras} with {@link Models#save} and
 * {@link Models#load} (the ONNX format found through the ServiceLoader hook): outputs within 1e-6 of the original.
 */
class OnnxRoundTripTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> models() { return OnnxRuntimeExportTest.models(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void kerasToOnnxToKerasKeepsOutputs(String name, Supplier<Model> build) {
        Model model = build.get();
        OnnxRuntimeExportTest.randomize(model, name.hashCode());
        Path keras = tmp.resolve(name + ".keras");
        model.save(keras);
        Model fromKeras = Models.load(keras);
        Path onnx = tmp.resolve(name + ".onnx");
        Models.save(fromKeras, onnx);
        Model imported = Models.load(onnx);
        Path back = tmp.resolve(name + "_back.keras");
        imported.save(back);
        Model reloaded = Models.load(back);
        for (int batch : new int[] {1, 7}) {
            Tensor x = OnnxRuntimeExportTest.input(model, batch, 6, 17L * batch, name.startsWith("embedding"),
                    name.startsWith("masking"));
            float[] want = model.predict(x).data();
            assertClose(want, imported.predict(x).data(), 1e-6, 1e-6, name + " imported from ONNX, batch " + batch);
            assertClose(want, reloaded.predict(x).data(), 1e-6, 1e-6, name + " after .keras -> .onnx -> .keras, batch " + batch);
        }
    }
}
