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
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;

/**
 * The matrix multiplies the LSTM workloads run, as {@code m x n x k}: per-step recurrent products (batch x 4H x H),
 * input projections of a whole sequence (T*B x 4H x I), a weight gradient (I x 4H x T*B), a square one for the
 * peak, and the batch-1 streaming product. GFLOP/s = 2mnk / time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar rnn4j-bench/target/rnn4j-benchmarks.jar GemmBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
    @Param({"1024x1024x1024", "64x2048x512", "64x1024x256", "32x256x64", "3200x2048x512", "512x2048x3200", "1x1024x256"})
    public String shape;

    private int m, n, k;
    private float[] a, b, c;
    private final PackedMatrix packed = new PackedMatrix();

    @Setup
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
        MatMul.pack(false, k, n, b, 0, n, packed);
    }

    @Benchmark
    public float[] gemm() {
        MatMul.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        return c;
    }

    /** With B packed beforehand, as the recurrent kernel is once per sequence. */
    @Benchmark
    public float[] gemmPacked() {
        MatMul.gemmPacked(false, m, a, 0, k, packed, c, 0, n, false);
        return c;
    }
}
