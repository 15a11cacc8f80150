package org.rnn4j.layers.normalization;

import java.util.List;
import java.util.Map;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.StateUpdates;
import org.rnn4j.layers.Weight;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True)}: per channel
 * of the last axis, {@code y = (x - mean) / sqrt(var + epsilon) * gamma + beta}, statistics over every other axis.
 * In training ({@code fit}, training-mode gradients) {@code mean} and {@code var} are the batch's mean and biased
 * variance (masked steps left out when a timestep mask arrives) and the gradient flows through them; after the
 * forward pass {@code moving = moving * momentum + batch * (1 - momentum)} (published with the model's weight update). In inference ({@code predict},
 * {@code evaluate}) the moving statistics are used. Weights, in Keras order: {@code gamma} (if scale),
 * {@code beta} (if center), then the non-trainable {@code moving_mean} and {@code moving_variance}.
 *
 * <p>Inference calls only read the weights (thread-safe for concurrent predict); a training call writes the
 * moving statistics (training is confined to one thread).
 *
 * <pre>{@code
 * model.add(new Conv1D(64, 3).padding("same").useBias(false));
 * model.add(new BatchNormalization());
 * model.add(new ActivationLayer("relu"));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread. A training call writes the
 * moving statistics.
 */
public class BatchNormalization extends Layer {
    private int axis = -1;
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Initializer betaInitializer = Initializer.zeros();
    private Initializer gammaInitializer = Initializer.ones();
    private Initializer movingMeanInitializer = Initializer.zeros();
    private Initializer movingVarianceInitializer = Initializer.ones();
    private Weight gamma, beta, movingMean, movingVariance;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public BatchNormalization() { super("batch_normalization"); }

    /**
     * Keras's {@code axis}: rnn4j normalizes the last axis (-1, or its positive index).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public BatchNormalization axis(int a) { axis = a; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization momentum(double m) { momentum = m; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization epsilon(double e) {
        if (!(e > 0)) throw new IllegalArgumentException("Layer \"" + name() + "\": epsilon must be positive, got " + e);
        epsilon = e;
        return this;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization center(boolean c) { center = c; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization scale(boolean s) { scale = s; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization betaInitializer(Initializer i) { betaInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization gammaInitializer(Initializer i) { gammaInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization movingMeanInitializer(Initializer i) { movingMeanInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization movingVarianceInitializer(Initializer i) { movingVarianceInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization gammaRegularizer(Regularizer r) { setWeightRegularizer("gamma", r); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization betaRegularizer(Regularizer r) { setWeightRegularizer("beta", r); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization gammaConstraint(Constraint c) { setWeightConstraint("gamma", c); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public BatchNormalization betaConstraint(Constraint c) { setWeightConstraint("beta", c); return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public double momentum() { return momentum; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public double epsilon() { return epsilon; }

    /** Thread-safe: the weight object is fixed once built. */
    public Weight movingMean() { return movingMean; }

    /** Thread-safe: the weight object is fixed once built. */
    public Weight movingVariance() { return movingVariance; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "BatchNormalization"; }

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

    /** Timestep by timestep (in inference each timestep is scaled by the moving statistics alone; see {@link org.rnn4j.layers.Layer#timestepwise}). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    @Override
    protected void createWeights(List<int[]> shapes) {
        int[] s = shapes.get(0);
        int[] ch = {s[s.length - 1]};
        if (scale) gamma = addWeight("gamma", ch, gammaInitializer, true);
        if (center) beta = addWeight("beta", ch, betaInitializer, true);
        movingMean = addWeight("moving_mean", ch, movingMeanInitializer, false);
        movingVariance = addWeight("moving_variance", ch, movingVarianceInitializer, false);
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int ch = x.shape(-1), rows = x.size() / ch;
        float[] xd = x.data();
        // Row weights: 1, or the timestep mask (Keras 3 leaves masked steps out of the batch moments).
        float[] w = mask != null && x.rank() == 3 && mask.size() == rows ? mask.data() : null;
        double weightSum = 0;
        for (int r = 0; r < rows; r++) weightSum += w == null ? 1 : w[r];
        final double count = weightSum;
        float[] mean = new float[ch], var = new float[ch];
        if (training) {
            double[] s = new double[ch], s2 = new double[ch];
            for (int r = 0; r < rows; r++) {
                double wr = w == null ? 1 : w[r];
                if (wr == 0) continue;
                for (int c = 0; c < ch; c++) s[c] += wr * xd[r * ch + c];
            }
            for (int c = 0; c < ch; c++) mean[c] = (float) (s[c] / count);
            for (int r = 0; r < rows; r++) {
                double wr = w == null ? 1 : w[r];
                if (wr == 0) continue;
                for (int c = 0; c < ch; c++) {
                    double d = xd[r * ch + c] - mean[c];
                    s2[c] += wr * d * d;
                }
            }
            for (int c = 0; c < ch; c++) var[c] = (float) (s2[c] / count);
            // Keras: moving = moving * momentum + batch * (1 - momentum), after the forward pass; the model publishes
            // it with the step's weight update (StateUpdates), so concurrent predictions never see half of it.
            StateUpdates.submit(() -> {
                float[] mm = movingMean.value().data(), mv = movingVariance.value().data();
                for (int c = 0; c < ch; c++) {
                    mm[c] = (float) (mm[c] * momentum + mean[c] * (1 - momentum));
                    mv[c] = (float) (mv[c] * momentum + var[c] * (1 - momentum));
                }
                movingMean.markChanged();
                movingVariance.markChanged();
            });
        } else {
            System.arraycopy(movingMean.value().data(), 0, mean, 0, ch);
            System.arraycopy(movingVariance.value().data(), 0, var, 0, ch);
        }
        float[] inv = new float[ch];
        for (int c = 0; c < ch; c++) inv[c] = (float) (1.0 / Math.sqrt(var[c] + epsilon));
        float[] g = gamma == null ? null : gamma.value().data().clone();
        float[] bt = beta == null ? null : beta.value().data();
        float[] xhat = new float[xd.length], y = new float[xd.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < ch; c++) {
                int i = r * ch + c;
                xhat[i] = (xd[i] - mean[c]) * inv[c];
                y[i] = xhat[i] * (g == null ? 1f : g[c]) + (bt == null ? 0f : bt[c]);
            }
        }
        return new Pass(Tensor.of(y, x.shape()), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data();
                double[] sumDy = new double[ch], sumDyXhat = new double[ch];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < ch; c++) {
                        sumDy[c] += dy[r * ch + c];
                        sumDyXhat[c] += (double) dy[r * ch + c] * xhat[r * ch + c];
                    }
                }
                if (gamma != null) {
                    float[] dg = gamma.grad().data();
                    for (int c = 0; c < ch; c++) dg[c] += (float) sumDyXhat[c];
                }
                if (beta != null) {
                    float[] db = beta.grad().data();
                    for (int c = 0; c < ch; c++) db[c] += (float) sumDy[c];
                }
                if (!inputGradientsWanted()) return new Tensor[] {null};
                float[] dx = new float[dy.length];
                for (int r = 0; r < rows; r++) {
                    // Training: dx_r = gamma inv (dy_r - w_r / W (sum dy + xhat_r sum dy xhat)); inference: gamma inv dy_r.
                    double wr = training ? (w == null ? 1 : w[r]) / count : 0;
                    for (int c = 0; c < ch; c++) {
                        int i = r * ch + c;
                        double gi = (g == null ? 1.0 : g[c]) * inv[c];
                        dx[i] = (float) (gi * (dy[i] - wr * (sumDy[c] + xhat[i] * sumDyXhat[c])));
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
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", betaInitializer.serialize());
        c.put("gamma_initializer", gammaInitializer.serialize());
        c.put("moving_mean_initializer", movingMeanInitializer.serialize());
        c.put("moving_variance_initializer", movingVarianceInitializer.serialize());
        c.put("beta_regularizer", reg("beta"));
        c.put("gamma_regularizer", reg("gamma"));
        c.put("beta_constraint", weightConstraint("beta") == null ? null : weightConstraint("beta").serialize());
        c.put("gamma_constraint", weightConstraint("gamma") == null ? null : weightConstraint("gamma").serialize());
        c.put("synchronized", false);
        return c;
    }

    private Object reg(String weightName) {
        Regularizer r = weightRegularizer(weightName);
        return r == null ? null : r.serialize();
    }

    /**
     * The layer of a Keras {@code BatchNormalization} config (renormalization is refused).
     * Thread-safe: builds a new layer from the config.
     */
    public static BatchNormalization fromConfig(LayerConfig c) {
        c.refuseIfSet("renorm", "virtual_batch_size", "adjustment");
        BatchNormalization b = new BatchNormalization();
        com.fasterxml.jackson.databind.JsonNode axis = c.get("axis");
        if (axis != null && axis.isArray()) {
            if (axis.size() != 1) throw c.error("option \"axis\" must be one axis, got " + axis);
            axis = axis.get(0);
        }
        if (axis != null && !axis.isInt()) throw c.error("option \"axis\" must be an integer, got " + axis);
        b.axis(axis == null ? -1 : axis.asInt());
        b.momentum(c.getDouble("momentum", 0.99));
        b.epsilon(c.getDouble("epsilon", 1e-3));
        b.center(c.getBool("center", true));
        b.scale(c.getBool("scale", true));
        b.betaInitializer(c.initializer("beta_initializer", "zeros"));
        b.gammaInitializer(c.initializer("gamma_initializer", "ones"));
        b.movingMeanInitializer(c.initializer("moving_mean_initializer", "zeros"));
        b.movingVarianceInitializer(c.initializer("moving_variance_initializer", "ones"));
        b.betaRegularizer(c.regularizer("beta_regularizer"));
        b.gammaRegularizer(c.regularizer("gamma_regularizer"));
        b.betaConstraint(c.constraint("beta_constraint"));
        b.gammaConstraint(c.constraint("gamma_constraint"));
        return b;
    }
}
