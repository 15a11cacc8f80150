package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * {@link LstmStreamKernel} for a quantized LSTM: one timestep of a few streams with the int8 kernel and recurrent
 * kernel, their columns cut into chunks of units (each chunk holding its units' four gate columns, with their
 * scales), so a chunk's pre-activations, gates and states need nothing from other chunks and chunks run in parallel.
 *
 * <p>Each pre-activation is computed by the very operations of the sequence driver's int8 path ({@code bias}, plus
 * the input product {@code / kernel_scale}, plus the recurrent product {@code / recurrent_kernel_scale}, each product
 * summed in input order by {@link Int8MatMul}'s kernel), and the gates by {@link LstmStep}: stepping a quantized
 * LSTM equals its {@code predict} bit for bit.
 *
 * <pre>{@code
 * Int8LstmStreamKernel k = Int8LstmStreamKernel.pack(kernel, recurrentKernel, bias, units, tanh, sigmoid);
 * k.step(1, x, h, c, hOut, cOut);
 * }</pre>
 *
 * <p>Thread safety: immutable once packed; {@code step} is thread-safe (per-thread scratch).
 */
public final class Int8LstmStreamKernel {
    /** The least multiply-adds of a part of a step: smaller steps run on the calling thread (from {@link KernelPlan}). */
    private static final long PART = KernelPlan.active().streamPartWork();

    private final int inputDim, units;
    private final Activation activation, recurrentActivation;
    private final int[] from;
    /** Per chunk: int8 columns {@code [rows, 4u]} of the kernel and the recurrent kernel, their scales, the bias (or null). */
    private final byte[][] kx, kh;
    private final float[][] sx, sh, bias;

    private Int8LstmStreamKernel(int inputDim, int units, Activation act, Activation ract, int[] from, byte[][] kx,
                                 byte[][] kh, float[][] sx, float[][] sh, float[][] bias) {
        this.inputDim = inputDim;
        this.units = units;
        this.activation = act;
        this.recurrentActivation = ract;
        this.from = from;
        this.kx = kx;
        this.kh = kh;
        this.sx = sx;
        this.sh = sh;
        this.bias = bias;
    }

    /**
     * Rearranges an int8 {@code kernel [inputDim, 4*units]}, {@code recurrentKernel [units, 4*units]} and
     * {@code bias [4*units]} (or null) into chunks; gate blocks i, f, c, o.
     * Thread-safe: returns a new kernel holding copies.
     */
    public static Int8LstmStreamKernel pack(QuantizedMatrix kernel, QuantizedMatrix recurrentKernel, float[] bias, int units,
                                            Activation act, Activation ract) {
        int inputDim = kernel.rows;
        int[] from = StreamChunks.bounds(units);
        int count = from.length - 1;
        byte[][] kx = new byte[count][], kh = new byte[count][];
        float[][] sx = new float[count][], sh = new float[count][], b = new float[count][];
        for (int q = 0; q < count; q++) {
            int u = from[q + 1] - from[q];
            kx[q] = columns(kernel, units, from[q], u);
            kh[q] = columns(recurrentKernel, units, from[q], u);
            sx[q] = new float[4 * u];
            sh[q] = new float[4 * u];
            b[q] = bias == null ? null : new float[4 * u];
            for (int g = 0; g < 4; g++) {
                System.arraycopy(kernel.scale, g * units + from[q], sx[q], g * u, u);
                System.arraycopy(recurrentKernel.scale, g * units + from[q], sh[q], g * u, u);
                if (bias != null) System.arraycopy(bias, g * units + from[q], b[q], g * u, u);
            }
        }
        return new Int8LstmStreamKernel(inputDim, units, act, ract, from, kx, kh, sx, sh, b);
    }

    /** Chunk columns [i(u), f(u), c(u), o(u)] of an int8 matrix with 4*units columns, every row. */
    private static byte[] columns(QuantizedMatrix m, int units, int from, int u) {
        byte[] out = new byte[m.rows * 4 * u];
        for (int r = 0; r < m.rows; r++) {
            for (int g = 0; g < 4; g++) System.arraycopy(m.values, r * m.cols + g * units + from, out, r * 4 * u + g * u, u);
        }
        return out;
    }

    /**
     * Advances {@code n} streams one step: {@code x [n, inputDim]}, {@code h}, {@code c} {@code [n, units]} the
     * states before; writes the states after into {@code hOut}, {@code cOut}, which may be {@code h}, {@code c}.
     * Thread-safe: per-thread scratch; writes only {@code hOut} and {@code cOut}.
     */
    public void step(int n, float[] x, float[] h, float[] c, float[] hOut, float[] cOut) {
        Step job = STEPS.get();
        float[] hIn = job.h.length >= n * units ? job.h : (job.h = new float[n * units]);
        System.arraycopy(h, 0, hIn, 0, n * units); // chunks write hOut, which may be h
        int count = from.length - 1, parts = Parallel.parts((long) n * (inputDim + units) * 4 * units, PART, count);
        if (parts == 1) {
            for (int q = 0; q < count; q++) chunk(q, n, x, hIn, c, hOut, cOut);
            return;
        }
        job.set(this, n, x, c, hOut, cOut, parts);
        try {
            Parallel.run(parts, job);
        } finally {
            job.set(null, 0, null, null, null, null, 1);
        }
    }

    /** One split step's arguments, reused by the calling thread. */
    private static final class Step implements Parallel.Task {
        float[] h = new float[0];
        Int8LstmStreamKernel kernel;
        float[] x, c, hOut, cOut;
        int n, parts;

        void set(Int8LstmStreamKernel kernel, int n, float[] x, float[] c, float[] hOut, float[] cOut, int parts) {
            this.kernel = kernel; this.n = n; this.x = x; this.c = c; this.hOut = hOut; this.cOut = cOut; this.parts = parts;
        }

        /** Part p: chunks {@code [p * count / parts, (p + 1) * count / parts)}. Thread-confined: one part of one call. */
        @Override
        public void run(int part) {
            int count = kernel.from.length - 1;
            for (int q = part * count / parts, end = (part + 1) * count / parts; q < end; q++) {
                kernel.chunk(q, n, x, h, c, hOut, cOut);
            }
        }
    }

    private static final ThreadLocal<Step> STEPS = ThreadLocal.withInitial(Step::new);

    /** Pre-activations, gates and new states of chunk {@code q}'s units, for every stream, on this thread. */
    private void chunk(int q, int n, float[] x, float[] h, float[] c, float[] hOut, float[] cOut) {
        int u = from[q + 1] - from[q], w = 4 * u;
        Int8Kernel k = Int8MatMul.kernel();
        float[] z = StreamChunks.preActivations(u);
        for (int r = 0; r < n; r++) {
            // As the driver: bias first, then the input product, then the recurrent product.
            if (bias[q] != null) System.arraycopy(bias[q], 0, z, 0, w);
            k.gemmWeights(1, w, inputDim, x, r * inputDim, inputDim, kx[q], 0, w, sx[q], 0, z, 0, w, bias[q] != null);
            k.gemmWeights(1, w, units, h, r * units, units, kh[q], 0, w, sh[q], 0, z, 0, w, true);
            StreamChunks.gates(r, u, from[q], units, activation, recurrentActivation, c, hOut, cOut);
        }
    }
}
