package org.rnn4j.optimizers;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.layers.Weight;

/**
 * A Keras optimizer: applies one update to each trainable weight from its gradient, with optional gradient
 * clipping ({@code clipnorm} per weight, {@code clipvalue} per element, {@code global_clipnorm} over all).
 * Each optimizer keeps its slots (moments, accumulators) per weight.
 *
 * <pre>{@code
 * Optimizer adam = new Adam(0.001);          // or Optimizer.get("adam")
 * adam.setClipNorm(1.0);
 * }</pre>
 */
public abstract class Optimizer {
    protected double learningRate;
    /** A learning-rate schedule replacing the fixed rate, or null. */
    private org.rnn4j.optimizers.schedules.LearningRateSchedule schedule;
    private double clipNorm = Double.NaN, clipValue = Double.NaN, globalClipNorm = Double.NaN;
    /** Keras's decoupled weight decay ({@code weight_decay}), NaN when off. */
    private double weightDecay = Double.NaN;
    /** Updates applied so far (Keras's {@code iterations}). */
    protected long iterations;
    private final Map<Weight, float[][]> slots = new IdentityHashMap<>();

    protected Optimizer(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning_rate must be a non-negative number, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** Keras's class name ({@code Adam}). */
    public abstract String className();

    /** Number of slot arrays per weight. */
    protected abstract int slotCount();

    /** Initial value of the slots (Adagrad starts its accumulator above zero). */
    protected float initialSlotValue() { return 0f; }

    /** Updates one weight {@code w} (modified) from gradient {@code g} at step {@code t} = iterations + 1. */
    protected abstract void update(float[] w, float[] g, float[][] slots, long t, double lr);

    /** The learning rate of the coming step: the fixed rate, or the schedule's value at {@link #iterations()}. */
    public double learningRate() { return schedule == null ? learningRate : schedule.rate(iterations); }

    /** Sets a fixed learning rate; refused (as Keras) when the optimizer was given a schedule. */
    public void setLearningRate(double lr) {
        if (schedule != null) {
            throw new IllegalStateException("This optimizer was created with a LearningRateSchedule (" + schedule.className()
                    + ") as its learning rate, hence its learning rate is not settable. If you need the learning rate to be "
                    + "settable, give the optimizer a fixed learning rate.");
        }
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning_rate must be a non-negative number, got " + lr);
        }
        this.learningRate = lr;
    }

    /**
     * Uses a schedule as the learning rate (Keras's {@code learning_rate=schedule}); returns this optimizer.
     *
     * <pre>{@code
     * Optimizer adam = new Adam().learningRate(new ExponentialDecay(1e-3, 1000, 0.9));
     * }</pre>
     */
    @SuppressWarnings("unchecked")
    public <O extends Optimizer> O learningRate(org.rnn4j.optimizers.schedules.LearningRateSchedule s) {
        if (s == null) throw new IllegalArgumentException("learning rate schedule is null");
        this.schedule = s;
        return (O) this;
    }

    /** The learning-rate schedule, or null for a fixed rate. */
    public org.rnn4j.optimizers.schedules.LearningRateSchedule schedule() { return schedule; }

    public long iterations() { return iterations; }

    public void setClipNorm(double v) { clipNorm = v; }

    public void setClipValue(double v) { clipValue = v; }

    public void setGlobalClipNorm(double v) { globalClipNorm = v; }

    /**
     * Keras's {@code weight_decay}: before each update every trainable weight shrinks by {@code w * weightDecay * lr}
     * (decoupled from the gradient, which was computed before the decay); NaN or 0 turns it off. Returns this optimizer.
     * Not thread-safe: configure before training.
     */
    @SuppressWarnings("unchecked")
    public <O extends Optimizer> O weightDecay(double v) {
        if (!(Double.isNaN(v) || (v >= 0 && !Double.isInfinite(v)))) {
            throw new IllegalArgumentException(className() + ": weight_decay must be a non-negative number, got " + v);
        }
        weightDecay = v == 0 ? Double.NaN : v;
        return (O) this;
    }

    /** The decoupled weight decay, NaN when off. Thread-safe: reads a field. */
    public double weightDecay() { return weightDecay; }

    /** The learning rate for the coming step; schedules override this. */
    protected double currentLearningRate() { return schedule == null ? learningRate : schedule.rate(iterations); }

    /**
     * Applies one step to every weight from its {@link Weight#grad()} (left as it was). Without clipping it allocates
     * nothing once the weights' slots exist.
     */
    public void apply(List<Weight> weights) {
        // Indexed loops, not iterators: where the JIT has seen several List classes here it cannot inline
        // iterator(), and each loop allocated its iterator at every step.
        int n = weights.size();
        double globalScale = 1.0;
        if (!Double.isNaN(globalClipNorm)) {
            double sq = 0;
            for (int k = 0; k < n; k++) for (float g : weights.get(k).grad().data()) sq += (double) g * g;
            double norm = Math.sqrt(sq);
            if (norm > globalClipNorm) globalScale = globalClipNorm / norm;
        }
        long t = iterations + 1;
        double lr = currentLearningRate();
        if (!Double.isNaN(weightDecay)) {
            // Keras: variable.assign(variable - variable * weight_decay * lr), all weights before any update.
            float f = (float) (weightDecay * lr);
            for (int k = 0; k < n; k++) {
                float[] v = weights.get(k).value().data();
                for (int i = 0; i < v.length; i++) v[i] -= v[i] * f;
            }
        }
        for (int k = 0; k < n; k++) {
            Weight w = weights.get(k);
            float[] g = w.grad().data();
            if (globalScale != 1.0 || !Double.isNaN(clipNorm) || !Double.isNaN(clipValue)) g = clip(g, globalScale);
            float[][] s = slots.get(w);
            // Not computeIfAbsent: its lambda captures this, a new object at every step.
            if (s == null) slots.put(w, s = newSlots(w.size()));
            update(w.value().data(), g, s, t, lr);
        }
        // Keras applies each variable's constraint after the update.
        for (int k = 0; k < n; k++) {
            Weight w = weights.get(k);
            if (w.constraint() != null) w.constraint().apply(w.value().data(), w.shape());
            w.markChanged();
        }
        iterations = t;
    }

    private float[][] newSlots(int n) {
        float[][] s = new float[slotCount()][n];
        float init = initialSlotValue();
        if (init != 0f) for (float[] a : s) java.util.Arrays.fill(a, init);
        return s;
    }

    private float[] clip(float[] g, double globalScale) {
        float[] c = g.clone();
        if (globalScale != 1.0) for (int i = 0; i < c.length; i++) c[i] *= (float) globalScale;
        if (!Double.isNaN(clipNorm)) {
            double sq = 0;
            for (float v : c) sq += (double) v * v;
            double norm = Math.sqrt(sq);
            if (norm > clipNorm) {
                float s = (float) (clipNorm / norm);
                for (int i = 0; i < c.length; i++) c[i] *= s;
            }
        }
        if (!Double.isNaN(clipValue)) {
            float cv = (float) clipValue;
            for (int i = 0; i < c.length; i++) c[i] = Math.max(-cv, Math.min(cv, c[i]));
        }
        return c;
    }

    /** The slots of a weight (for saving optimizer state), or null before its first update. */
    public float[][] slots(Weight w) { return slots.get(w); }

    /** Number of slot arrays this optimizer keeps per weight (for saving and restoring its state). */
    public int slotsPerWeight() { return slotCount(); }

    /** Restores the slots of a weight and the iteration count (for resuming training). */
    public void restore(Weight w, float[][] values) { slots.put(w, values); }

    public void setIterations(long iterations) { this.iterations = iterations; }

    /** Keras's {@code get_config()}. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", className().toLowerCase(Locale.ROOT));
        c.put("learning_rate", schedule == null ? (Object) learningRate : schedule.serialize());
        if (!Double.isNaN(clipNorm)) c.put("clipnorm", clipNorm);
        if (!Double.isNaN(clipValue)) c.put("clipvalue", clipValue);
        if (!Double.isNaN(globalClipNorm)) c.put("global_clipnorm", globalClipNorm);
        if (!Double.isNaN(weightDecay)) c.put("weight_decay", weightDecay);
        return c;
    }

    public static List<String> names() {
        return List.of("sgd", "adam", "rmsprop", "adagrad", "adamax", "adadelta", "nadam", "adamw", "lion");
    }

    /**
     * The optimizer of that Keras name (or class name, any case), with Keras 3's defaults.
     * Thread-safe: may be called concurrently; returns a new instance each time.
     */
    public static Optimizer get(String name) {
        if (name == null) throw new IllegalArgumentException("Optimizer name is null; expected one of " + names());
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd": return new SGD(0.01);
            case "adam": return new Adam(0.001);
            case "rmsprop": return new RMSprop(0.001);
            case "adagrad": return new Adagrad(0.001);
            case "adamax": return new Adamax();
            case "adadelta": return new Adadelta();
            case "nadam": return new Nadam();
            case "adamw": return new AdamW();
            case "lion": return new Lion();
            default:
                throw new IllegalArgumentException("Unknown optimizer '" + name + "'; expected one of " + names());
        }
    }
}
