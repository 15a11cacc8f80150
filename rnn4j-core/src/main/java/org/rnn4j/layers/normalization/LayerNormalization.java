package org.rnn4j.layers.normalization;

import java.util.List;
import java.util.Map;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)}: per sample and step, over
 * the last axis, {@code y = (x - mean) / sqrt(var + epsilon) * gamma + beta} with the biased variance; the same in
 * training and inference; passes a timestep mask on. Weights {@code gamma [C]} (if scale), {@code beta [C]} (if
 * center).
 *
 * <pre>{@code model.add(new LayerNormalization().epsilon(1e-5)); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class LayerNormalization extends Layer {
    private int axis = -1;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializer.zeros();
    private Initializer gammaInitializer = Initializer.ones();
    private Weight gamma, beta;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public LayerNormalization() { super("layer_normalization"); }

    /**
     * Keras's {@code axis}: rnn4j normalizes the last axis (-1, or its positive index).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public LayerNormalization axis(int a) { axis = a; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization epsilon(double e) {
        if (!(e > 0)) throw new IllegalArgumentException("Layer \"" + name() + "\": epsilon must be positive, got " + e);
        epsilon = e;
        return this;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization center(boolean c) { center = c; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization scale(boolean s) { scale = s; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization betaInitializer(Initializer i) { betaInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization gammaInitializer(Initializer i) { gammaInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization gammaRegularizer(Regularizer r) { setWeightRegularizer("gamma", r); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization betaRegularizer(Regularizer r) { setWeightRegularizer("beta", r); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization gammaConstraint(Constraint c) { setWeightConstraint("gamma", c); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LayerNormalization betaConstraint(Constraint c) { setWeightConstraint("beta", c); return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public double epsilon() { return epsilon; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "LayerNormalization"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length < 2 || s[s.length - 1] <= 0) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible: expected at least 2 axes "
                    + "and a known last axis, got " + Shapes.toString(s));
        }
        if (axis != -1 && axis != s.length - 1) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": rnn4j normalizes the last axis only (axis=-1 or "
                    + (s.length - 1) + "), got axis=" + axis);
        }
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        return got.length == built.length && got[got.length - 1] == built[built.length - 1];
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) { return in.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Timestep by timestep (each timestep is normalised over its own features; see {@link org.rnn4j.layers.Layer#timestepwise}). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    @Override
    protected void createWeights(List<int[]> shapes) {
        int[] s = shapes.get(0);
        int[] ch = {s[s.length - 1]};
        if (scale) gamma = addWeight("gamma", ch, gammaInitializer, true);
        if (center) beta = addWeight("beta", ch, betaInitializer, true);
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int ch = x.shape(-1), rows = x.size() / ch;
        float[] xd = x.data(), xhat = new float[xd.length], y = new float[xd.length], inv = new float[rows];
        float[] g = gamma == null ? null : gamma.value().data();
        float[] bt = beta == null ? null : beta.value().data();
        for (int r = 0; r < rows; r++) {
            int o = r * ch;
            double s = 0;
            for (int c = 0; c < ch; c++) s += xd[o + c];
            float mean = (float) (s / ch);
            double v = 0;
            for (int c = 0; c < ch; c++) {
                double d = xd[o + c] - mean;
                v += d * d;
            }
            inv[r] = (float) (1.0 / Math.sqrt(v / ch + epsilon));
            for (int c = 0; c < ch; c++) {
                xhat[o + c] = (xd[o + c] - mean) * inv[r];
                y[o + c] = xhat[o + c] * (g == null ? 1f : g[c]) + (bt == null ? 0f : bt[c]);
            }
        }
        float[] gammaUsed = g == null ? null : g.clone();
        return new Pass(Tensor.of(y, x.shape()), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data();
                if (gamma != null) {
                    float[] dg = gamma.grad().data();
                    for (int i = 0; i < dy.length; i++) dg[i % ch] += dy[i] * xhat[i];
                }
                if (beta != null) {
                    float[] db = beta.grad().data();
                    for (int i = 0; i < dy.length; i++) db[i % ch] += dy[i];
                }
                if (!inputGradientsWanted()) return new Tensor[] {null};
                float[] dx = new float[dy.length];
                // dx = inv (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy gamma, per row.
                for (int r = 0; r < rows; r++) {
                    int o = r * ch;
                    double m1 = 0, m2 = 0;
                    for (int c = 0; c < ch; c++) {
                        double dh = dy[o + c] * (gammaUsed == null ? 1f : gammaUsed[c]);
                        m1 += dh;
                        m2 += dh * xhat[o + c];
                    }
                    m1 /= ch;
                    m2 /= ch;
                    for (int c = 0; c < ch; c++) {
                        double dh = dy[o + c] * (gammaUsed == null ? 1f : gammaUsed[c]);
                        dx[o + c] = (float) (inv[r] * (dh - m1 - xhat[o + c] * m2));
                    }
                }
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("rms_scaling", false);
        c.put("beta_initializer", betaInitializer.serialize());
        c.put("gamma_initializer", gammaInitializer.serialize());
        c.put("beta_regularizer", weightRegularizer("beta") == null ? null : weightRegularizer("beta").serialize());
        c.put("gamma_regularizer", weightRegularizer("gamma") == null ? null : weightRegularizer("gamma").serialize());
        c.put("beta_constraint", weightConstraint("beta") == null ? null : weightConstraint("beta").serialize());
        c.put("gamma_constraint", weightConstraint("gamma") == null ? null : weightConstraint("gamma").serialize());
        return c;
    }

    /**
     * The layer of a Keras {@code LayerNormalization} config ({@code rms_scaling} is refused).
     * Thread-safe: builds a new layer from the config.
     */
    public static LayerNormalization fromConfig(LayerConfig c) {
        c.refuseIfSet("rms_scaling");
        LayerNormalization l = new LayerNormalization();
        com.fasterxml.jackson.databind.JsonNode axis = c.get("axis");
        if (axis != null && axis.isArray()) {
            if (axis.size() != 1) throw c.error("option \"axis\" must be one axis, got " + axis);
            axis = axis.get(0);
        }
        if (axis != null && !axis.isInt()) throw c.error("option \"axis\" must be an integer, got " + axis);
        l.axis(axis == null ? -1 : axis.asInt());
        l.epsilon(c.getDouble("epsilon", 1e-3));
        l.center(c.getBool("center", true));
        l.scale(c.getBool("scale", true));
        l.betaInitializer(c.initializer("beta_initializer", "zeros"));
        l.gammaInitializer(c.initializer("gamma_initializer", "ones"));
        l.betaRegularizer(c.regularizer("beta_regularizer"));
        l.gammaRegularizer(c.regularizer("gamma_regularizer"));
        l.betaConstraint(c.constraint("beta_constraint"));
        l.gammaConstraint(c.constraint("gamma_constraint"));
        return l;
    }
}
