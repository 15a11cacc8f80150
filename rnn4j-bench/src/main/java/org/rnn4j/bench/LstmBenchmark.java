package org.rnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.Rnn4j;
import org.rnn4j.activations.Activation;
import org.rnn4j.kernels.LstmStep;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The LSTM at the sizes of the bench workloads ({@code batch x steps x input x units}): a training step
 * (forward, backward, Adam), a forward pass, and the fused gate math of one timestep alone. Run with
 * {@code -prof gc} to see the allocation per training step.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar rnn4j-bench/target/rnn4j-benchmarks.jar LstmBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class LstmBenchmark {
    @Param({"32x50x8x64", "64x100x32x256"})
    public String size;

    private Sequential model;
    private Tensor x, y;
    private int batch, units;
    private float[] z, gates, c, h;
    private final Activation tanh = Activation.get("tanh"), sigmoid = Activation.get("sigmoid");

    @Setup
    public void setUp() {
        String[] s = size.split("x");
        batch = Integer.parseInt(s[0]);
        int steps = Integer.parseInt(s[1]), input = Integer.parseInt(s[2]);
        units = Integer.parseInt(s[3]);
        Rnn4j.setRandomSeed(0);
        model = new Sequential(new LSTM(units).inputShape(steps, input), new Dense(1));
        model.compile("mse", "adam");
        SplittableRandom r = new SplittableRandom(0);
        x = Tensor.zeros(batch, steps, input);
        y = Tensor.zeros(batch, 1);
        for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) (r.nextDouble() * 2 - 1);
        for (int i = 0; i < y.data().length; i++) y.data()[i] = (float) (r.nextDouble() * 2 - 1);
        z = new float[batch * 4 * units];
        for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextDouble() * 4 - 2);
        gates = new float[z.length];
        c = new float[2 * batch * units];
        h = new float[2 * batch * units];
    }

    @Benchmark
    public double trainStep() {
        return model.trainOnBatch(x, y).get("loss");
    }

    @Benchmark
    public Tensor forward() {
        return model.predictOnBatch(x);
    }

    /** The gate nonlinearities and state update of one timestep (no matrix multiply). */
    @Benchmark
    public float[] gateMath() {
        LstmStep.forward(batch, units, tanh, sigmoid, z, 0, gates, 0, c, 0, batch * units, h, batch * units);
        return h;
    }
}
