package org.rnn4j.optimizers;

import java.util.Map;
import org.rnn4j.kernels.AdamUpdate;

/**
 * Keras's Adam: {@code m = b1*m + (1-b1)*g}, {@code v = b2*v + (1-b2)*g^2},
 * {@code w -= lr*sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps)}. Defaults: lr 0.001, b1 0.9, b2 0.999, eps 1e-7.
 * With {@code amsgrad} the running maximum of v is used.
 *
 * <p>TensorFlow.js (like the Adam paper) adds epsilon to the bias-corrected moment instead:
 * {@code w -= lr * m_hat / (sqrt(v_hat) + eps)} with {@code m_hat = m/(1-b1^t)}, {@code v_hat = v/(1-b2^t)}. That
 * is Keras's rule with epsilon scaled by {@code sqrt(1-b2^t)}, so the two differ only where {@code sqrt(v)} is near
 * epsilon (gradients of about 1e-6 and smaller, common in saturated gates). Keras's rule is the default; models
 * from TensorFlow.js train with theirs ({@link #epsilonOnCorrectedMoments}).
 *
 * <pre>{@code
 * model.compile(Loss.get("mse"), new Adam(1e-3));                              // or compile("mse", "adam")
 * model.compile(Loss.get("mse"), new Adam(1e-3, 0.9, 0.999, 1e-7, true));      // amsgrad
 * }</pre>
 */
public class Adam extends Optimizer {
    final double beta1, beta2, epsilon;
    private final boolean amsgrad;
    private boolean epsilonOnCorrectedMoments;

    public Adam() { this(0.001); }

    public Adam(double learningRate) { this(learningRate, 0.9, 0.999, 1e-7, false); }

    /** With a learning-rate schedule (Keras's {@code learning_rate=schedule}) and the other defaults. */
    public Adam(org.rnn4j.optimizers.schedules.LearningRateSchedule learningRate) {
        this(0.0);
        learningRate(learningRate);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.amsgrad = amsgrad;
    }

    /** Adds epsilon to {@code sqrt(v_hat)} as TensorFlow.js does (true) rather than to {@code sqrt(v)} as Keras (false). */
    public Adam epsilonOnCorrectedMoments(boolean v) { epsilonOnCorrectedMoments = v; return this; }

    public boolean epsilonOnCorrectedMoments() { return epsilonOnCorrectedMoments; }

    @Override public String className() { return "Adam"; }

    @Override protected int slotCount() { return amsgrad ? 3 : 2; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        // TensorFlow.js: lr*m_hat/(sqrt(v_hat)+eps) = alpha*m/(sqrt(v) + eps*sqrt(1-b2^t)).
        double epsilonT = epsilonOnCorrectedMoments ? epsilon * Math.sqrt(1 - Math.pow(beta2, t)) : epsilon;
        // One fused pass per weight, vectorised and split over threads when large (see AdamUpdate).
        AdamUpdate.apply(w, g, s[0], s[1], amsgrad ? s[2] : null, (float) alpha, (float) beta1, (float) beta2,
                (float) epsilonT);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        c.put("amsgrad", amsgrad);
        return c;
    }
}
