package org.rnn4j.bench;

import java.util.ArrayList;
import java.util.List;
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
import org.rnn4j.layers.Weight;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Tensor;

/**
 * One Adam step over the trainable weights of a workload: {@code small} is LSTM(64) on 8 features then Dense(1)
 * (18 753 floats), {@code large} LSTM(512) on 512 then Dense(1) (2 099 713 floats). Adam's update is some 12 float
 * operations per weight (GFLOP/s = 12 n / time) and streams 28 bytes per weight (reads w, g, m, v; writes w, m, v).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar rnn4j-bench/target/rnn4j-benchmarks.jar AdamBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class AdamBenchmark {
    @Param({"small", "large"})
    public String workload;

    @Param({"false", "true"})
    public boolean amsgrad;

    private List<Weight> weights;
    private Optimizer adam;

    @Setup
    public void setUp() {
        int units = workload.equals("large") ? 512 : 64, features = workload.equals("large") ? 512 : 8;
        int[][] shapes = {{features, 4 * units}, {units, 4 * units}, {4 * units}, {units, 1}, {1}};
        SplittableRandom r = new SplittableRandom(1);
        weights = new ArrayList<>();
        for (int[] s : shapes) {
            Weight w = new Weight("w" + weights.size(), "layer/w" + weights.size(), Tensor.zeros(s), true);
            float[] v = w.value().data(), g = w.grad().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.05);
                g[i] = (float) (r.nextGaussian() * 1e-3);
            }
            weights.add(w);
        }
        adam = new Adam(1e-3, 0.9, 0.999, 1e-7, amsgrad);
    }

    @Benchmark
    public List<Weight> step() {
        adam.apply(weights);
        return weights;
    }
}
