package org.rnn4j.layers;

import java.util.List;
import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Embedding: turns integer ids into rows of an {@code embeddings [input_dim, output_dim]} table. Inputs are
 * ids stored as floats, {@code [batch, timesteps]} (any rank works); the output adds an axis of {@code output_dim}.
 * With {@code mask_zero}, id 0 is padding: the layer emits the mask {@code id != 0} for the layers that follow (so
 * {@code input_dim} must count the padding id). The table starts uniform in [-0.05, 0.05], Keras's {@code uniform}.
 *
 * <pre>{@code
 * model.add(new Embedding(1000, 64, true).inputShape(20));   // 20 ids per sample, 0 = padding
 * model.add(new LSTM(32));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private final boolean maskZero;
    private Initializer embeddingsInitializer = Initializer.randomUniform(-0.05, 0.05);
    private Weight embeddings;
    /** {@code embeddings_scale [input_dim]} once quantized (one scale per row), else null. */
    private Weight embeddingsScale;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Embedding(int inputDim, int outputDim, boolean maskZero) {
        super("embedding");
        if (inputDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": input_dim and output_dim must be positive, got "
                    + "input_dim=" + inputDim + ", output_dim=" + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.maskZero = maskZero;
    }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Embedding(int inputDim, int outputDim) { this(inputDim, outputDim, false); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Embedding embeddingsInitializer(Initializer init) { embeddingsInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Embedding embeddingsInitializer(String name) { return embeddingsInitializer(Initializer.get(name)); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int inputDim() { return inputDim; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int outputDim() { return outputDim; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean maskZero() { return maskZero; }

    /** The table {@code [input_dim, output_dim]}. Thread-safe: the weight object is fixed once built. */
    public Weight embeddings() { return embeddings; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Embedding"; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        int[] out = new int[in.length + 1];
        System.arraycopy(in, 0, out, 0, in.length);
        out[in.length] = outputDim;
        return out;
    }

    @Override
    protected void createWeights(List<int[]> shapes) {
        embeddings = addWeight("embeddings", new int[] {inputDim, outputDim}, embeddingsInitializer, true);
    }

    /** The mask is created here from the ids, not passed through. Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return false; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        float[] ids = x.data();
        int n = ids.length;
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            float v = ids[i];
            if (!(v >= 0 && v < inputDim) || v != Math.rint(v)) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" got id " + v + " at "
                        + Shapes.toString(index(x.shape(), i)) + ", expected an integer id in the range [0, " + inputDim
                        + ") (input_dim=" + inputDim + ")");
            }
            rows[i] = (int) v;
        }
        float[] table = embeddings.value().data();
        float[] out = new float[n * outputDim];
        if (embeddingsScale != null) {
            // Keras 3's int8 lookup: the int8 row divided by its row's scale.
            float[] scale = embeddingsScale.value().data();
            for (int i = 0; i < n; i++) {
                float s = scale[rows[i]];
                for (int j = 0, o = rows[i] * outputDim, d = i * outputDim; j < outputDim; j++) out[d + j] = table[o + j] / s;
            }
        } else {
            for (int i = 0; i < n; i++) System.arraycopy(table, rows[i] * outputDim, out, i * outputDim, outputDim);
        }
        Tensor outMask = null;
        if (maskZero) {
            float[] m = new float[n];
            for (int i = 0; i < n; i++) m[i] = rows[i] != 0 ? 1f : 0f;
            outMask = Tensor.of(m, x.shape());
        }
        return new Pass(Tensor.of(out, outputShape(x.shape())), outMask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (embeddingsScale != null) throw Quantized.noBackward(Embedding.this);
                if (grads[0] != null) {
                    // Each id's row gathers the gradients of every position that looked it up.
                    float[] g = grads[0].data(), dt = embeddings.grad().data();
                    for (int i = 0; i < n; i++) {
                        int o = rows[i] * outputDim, s = i * outputDim;
                        for (int j = 0; j < outputDim; j++) dt[o + j] += g[s + j];
                    }
                }
                return new Tensor[] {null}; // ids carry no gradient
            }
        };
    }

    /**
     * Keras 3's int8 Embedding: {@code embeddings} become int8 with {@code embeddings_scale [input_dim]}, one
     * abs-max scale per row (over {@code output_dim}); a lookup returns the int8 row divided by its scale.
     * Thread-safe: a constant.
     */
    @Override
    public boolean quantizable() { return true; }

    @Override
    protected void quantizeWeights() {
        float[] e = embeddings.value().data();
        byte[] q = new byte[e.length];
        float[] scale = new float[inputDim];
        org.rnn4j.kernels.Int8MatMul.quantizeRows(inputDim, outputDim, e, 0, outputDim, q, scale);
        float[] qf = new float[q.length];
        for (int i = 0; i < q.length; i++) qf[i] = q[i];
        Weight values = Weight.int8(embeddings.name(), embeddings.path(), Tensor.of(qf, inputDim, outputDim));
        embeddingsScale = new Weight("embeddings_scale", embeddings.path() + "_scale", Tensor.of(scale, inputDim), false);
        replaceWeight(embeddings, values);
        appendWeight(embeddingsScale);
        embeddings = values;
    }

    private static int[] index(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return idx;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        c.put("embeddings_initializer", embeddingsInitializer.serialize());
        c.put("embeddings_regularizer", null);
        c.put("activity_regularizer", null);
        c.put("embeddings_constraint", null);
        c.put("mask_zero", maskZero);
        return c;
    }
}
