package org.rnn4j.optimizers;

/**
 * Keras's AdamW: Adam (Keras's rule, see {@link Adam}) with decoupled weight decay: before each update
 * {@code w -= w * weight_decay * lr}. Defaults: lr 0.001, weight_decay 0.004, b1 0.9, b2 0.999, eps 1e-7.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(0.01, 0.05);   // or Optimizer.get("adamw")
 * }</pre>
 */
public final class AdamW extends Adam {
    /** Keras's defaults. */
    public AdamW() { this(0.001, 0.004); }

    public AdamW(double learningRate, double weightDecay) { this(learningRate, weightDecay, 0.9, 0.999, 1e-7, false); }

    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon, boolean amsgrad) {
        super(learningRate, beta1, beta2, epsilon, amsgrad);
        if (!(weightDecay > 0)) {
            throw new IllegalArgumentException("AdamW: weight_decay must be a positive number (use Adam without decay), got "
                    + weightDecay);
        }
        weightDecay(weightDecay);
    }

    @Override public String className() { return "AdamW"; }
}
