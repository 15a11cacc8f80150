package org.rnn4j.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's CosineDecay with optional linear warmup. Without warmup:
 * {@code initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)}.
 * With {@code warmup_target}: for {@code step < warmup_steps} the rate goes linearly from {@code initial} to
 * {@code warmup_target}; then the cosine decay runs from {@code warmup_target} over {@code step - warmup_steps}.
 *
 * <pre>{@code
 * new SGD(new CosineDecay(0.1, 1000));                       // 0.1 -> 0 over 1000 steps
 * new SGD(new CosineDecay(0.0, 1000, 0.0, 0.1, 100));        // warm up to 0.1 in 100 steps, then decay
 * }</pre>
 */
public final class CosineDecay extends LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double alpha;
    private final Double warmupTarget;
    private final long warmupSteps;

    public CosineDecay(double initialLearningRate, long decaySteps) { this(initialLearningRate, decaySteps, 0.0); }

    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    /** @param warmupTarget the rate reached at the end of the warmup, or null for no warmup */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget, long warmupSteps) {
        checkDecaySteps(decaySteps);
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.alpha = alpha;
        this.warmupTarget = warmupTarget;
        this.warmupSteps = warmupSteps;
    }

    @Override public String className() { return "CosineDecay"; }

    @Override
    public double rate(long step) {
        float initial = (float) initialLearningRate, ds = (float) decaySteps, s = (float) step;
        if (warmupTarget == null) return decay(Math.min(s, ds), ds, initial);
        float target = (float) (double) warmupTarget, ws = (float) warmupSteps;
        s = Math.min(s, ds + ws);
        if (s < ws) return (target - initial) * (s / ws) + initial;
        return decay(s - ws, ds, target);
    }

    private float decay(float step, float decaySteps, float from) {
        float completed = step / decaySteps;
        float cosine = 0.5f * (1f + (float) Math.cos((float) Math.PI * completed));
        float decayed = (float) (1 - alpha) * cosine + (float) alpha;
        return from * decayed;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("alpha", alpha);
        c.put("name", "CosineDecay");
        c.put("warmup_target", warmupTarget);
        c.put("warmup_steps", warmupSteps);
        return c;
    }

    static CosineDecay fromKerasConfig(Map<String, Object> c) {
        Object wt = c.get("warmup_target");
        Object ws = c.get("warmup_steps");
        return new CosineDecay(num(c, "initial_learning_rate"), (long) num(c, "decay_steps"),
                c.get("alpha") == null ? 0.0 : num(c, "alpha"), wt == null ? null : ((Number) wt).doubleValue(),
                ws == null ? 0 : ((Number) ws).longValue());
    }
}
