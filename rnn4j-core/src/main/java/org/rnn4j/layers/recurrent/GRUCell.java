package org.rnn4j.layers.recurrent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.kernels.GruStep;
import org.rnn4j.kernels.KernelPlan;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.layers.Weight;

/**
 * One GRU step (Keras's {@code GRUCell}). Weights in Keras order: {@code kernel [input_dim, 3*units]},
 * {@code recurrent_kernel [units, 3*units]}, {@code bias}; gate blocks z, r, h. State: {@code [h]}.
 *
 * <p>{@code reset_after=true} (Keras 3 default): bias {@code [2, 3*units]}, row 0 the input bias, row 1 the
 * recurrent bias; {@code z = ra(x·W_z + b_iz + h·U_z + b_rz)}, {@code r} likewise,
 * {@code hh = act(x·W_h + b_ih + r*(h·U_h + b_rh))}.
 * {@code reset_after=false}: bias {@code [3*units]}; {@code hh = act(x·W_h + b_h + (r*h)·U_h)}.
 * Both: {@code h' = z*h + (1-z)*hh}.
 *
 * <pre>{@code
 * model.add(RNN.of(new GRUCell(16).resetAfter(false)).inputShape(10, 3));   // keras.layers.RNN(GRUCell(16, reset_after=False))
 * }</pre>
 *
 * <p>Thread safety: as {@link RecurrentCell}.
 */
public final class GRUCell extends RecurrentCell {
    Activation recurrentActivation = Activation.get("sigmoid");
    boolean resetAfter = true;

    /** Not thread-safe: configure the new cell on one thread, then share it. */
    public GRUCell(int units) { super(units); }

    /** Keras's {@code recurrent_activation} (sigmoid by default); returns this cell. Not thread-safe: configure before building. */
    public GRUCell recurrentActivation(String name) { recurrentActivation = Activation.get(name); return this; }

    /** Keras's {@code reset_after} (true by default); returns this cell. Not thread-safe: configure before building. */
    public GRUCell resetAfter(boolean v) { resetAfter = v; return this; }

    @Override public int stateCount() { return 1; }

    @Override public int width() { return 3 * units; }

    /** Not thread-safe: called by the owning layer's synchronized build. */
    @Override
    public void build(RNN<?> owner, int inputDim) {
        buildWeights(owner, inputDim, resetAfter ? new int[] {2, 3 * units} : new int[] {3 * units}, biasInitializer);
    }


    /**
     * The bias the driver adds to the input projection. With {@code reset_after} it is the {@code [2, 3*units]}
     * bias, whose first {@code 3*units} values (row 0, the input bias) are all the driver reads and updates; the
     * cell handles row 1 itself.
     */



    /** Thread-safe: writes only {@code seq}, the calling pass's own arrays; weights are read only. */
    @Override
    public void prepare(Sequence seq) {
        int n = seq.steps * seq.batch, states = (seq.steps + 1) * seq.batch * units;
        // gates (z, r, hh), laid out as dzx; then, laid out as the states, rech = h·U_h + b_rh (reset_after) or
        // rh = r*h (reset before); then the gradient of rech (reset_after: all steps, for one dU multiply) or a
        // one-step scratch for dRh (rows as the batch).
        int scratch = resetAfter ? states : seq.batch * units;
        float[][] c = seq.cellCache;
        if (c == null || c.length != 3 || c[0].length != n * seq.width || c[1].length != states || c[2].length != scratch) {
            // Made once per workspace: a workspace comes back from the pool with its cache (a new one every call was
            // 150 KB a call for GRU(32) on 32 x 20).
            seq.cellCache = new float[][] {new float[n * seq.width], new float[states], new float[scratch]};
        }
        // The recurrent kernel's blocks multiply every step: rearranged once per sequence (as LSTM's).
        if (packed(seq) && !quantized()) {
            if (seq.packed == null) {
                seq.packed = new PackedMatrix[] {new PackedMatrix(), new PackedMatrix(), new PackedMatrix(), new PackedMatrix()};
            }
            for (int q = ZR; q <= H; q++) pack(seq, q);
        }
    }

    /** Thread-safe: writes only {@code seq}, the calling pass's own arrays. */
    @Override
    public void prepareBackward(Sequence seq) {
        if (packed(seq)) for (int q = ZR_T; q <= H_T; q++) pack(seq, q);
    }

    /** The four products with blocks of the recurrent kernel U: {@code ·U_zr}, {@code ·U_h}, {@code ·U_zr^T}, {@code ·U_h^T}. */
    private static final int ZR = 0, H = 1, ZR_T = 2, H_T = 3;

    private static boolean packed(Sequence seq) { return KernelPlan.active().packsRecurrent(seq.batch, seq.steps); }

    private void pack(Sequence seq, int q) {
        int w = seq.width, off = q == ZR || q == ZR_T ? 0 : 2 * units, cols = q == ZR || q == ZR_T ? 2 * units : units;
        float[] u = recurrentKernel.value().data();
        if (q <= H) {
            MatMul.pack(false, units, cols, u, off, w, seq.packed[q]);
        } else {
            MatMul.pack(true, cols, units, u, off, w, seq.packed[q]);
        }
    }

    /** {@code C (+)= A·U_q} for m rows of A, with the packed block when the sequence has them. */
    private void times(Sequence seq, int q, int m, float[] a, int aOff, int lda, float[] c, int cOff, int ldc,
                       boolean accumulate) {
        if (quantized() && q <= H) {
            int off = q == ZR ? 0 : 2 * units, cols = q == ZR ? 2 * units : units;
            recurrentInt8(m, a, aOff, lda, off, cols, c, cOff, ldc, accumulate);
            return;
        }
        if (packed(seq)) {
            MatMul.gemmPacked(false, m, a, aOff, lda, seq.packed[q], c, cOff, ldc, accumulate);
            return;
        }
        int w = seq.width, off = q == ZR || q == ZR_T ? 0 : 2 * units, cols = q == ZR || q == ZR_T ? 2 * units : units;
        float[] u = recurrentKernel.value().data();
        if (q <= H) {
            MatMul.gemm(false, false, m, cols, units, a, aOff, lda, u, off, w, c, cOff, ldc, accumulate);
        } else {
            MatMul.gemm(false, true, m, units, cols, a, aOff, lda, u, off, w, c, cOff, ldc, accumulate);
        }
    }

    /** Thread-safe: writes only rows r0..r1 of {@code seq}, the calling pass's own arrays; weights are read only. */
    @Override
    public void step(Sequence seq, int k, int r0, int r1) {
        int m = r1 - r0, w = seq.width, zo = seq.zxOffset(k, r0), so = seq.stateOffset(k, r0);
        int no = seq.stateOffset(k + 1, r0);
        float[] gates = seq.cellCache[0], aux = seq.cellCache[1];
        // z and r blocks: zx += hRec·U_zr (one multiply for both gates).
        times(seq, ZR, m, seq.hRec, so, units, seq.zx, zo, w, true);
        if (resetAfter) {
            times(seq, H, m, seq.hRec, so, units, aux, so, units, false);
            if (bias != null) {
                float[] b = bias.value().data();
                for (int r = 0; r < m; r++) {
                    int o = zo + r * w;
                    for (int j = 0; j < 2 * units; j++) seq.zx[o + j] += b[w + j];
                    int a = so + r * units;
                    for (int j = 0; j < units; j++) aux[a + j] += b[w + 2 * units + j];
                }
            }
            GruStep.forwardResetAfter(m, units, activation, recurrentActivation, seq.zx, zo, aux, so, gates, zo,
                    seq.states[0], so, seq.states[0], no);
        } else {
            GruStep.gates(m, units, recurrentActivation, seq.zx, zo, gates, zo, seq.hRec, so, aux, so);
            times(seq, H, m, aux, so, units, seq.zx, zo + 2 * units, w, true);
            GruStep.candidate(m, units, activation, seq.zx, zo, gates, zo, seq.states[0], so, seq.states[0], no);
        }
    }

    /** Thread-safe: writes only rows r0..r1 of {@code seq} and the given gradient arrays. */
    @Override
    public void stepBackward(Sequence seq, int k, int r0, int r1, float[][] dStates, float[] dHRec) {
        int m = r1 - r0, w = seq.width, zo = seq.zxOffset(k, r0), so = seq.stateOffset(k, r0), d = r0 * units;
        float[] gates = seq.cellCache[0], aux = seq.cellCache[1], dAux = seq.cellCache[2];
        if (resetAfter) {
            GruStep.backwardResetAfter(m, units, activation, recurrentActivation, seq.zx, zo, aux, so, gates, zo,
                    seq.states[0], so, dStates[0], d, seq.dzx, zo, dAux);
            // dHRec = dz_zr·U_zr^T + dRech·U_h^T
            times(seq, ZR_T, m, seq.dzx, zo, w, dHRec, d, units, false);
            times(seq, H_T, m, dAux, so, units, dHRec, d, units, true);
        } else {
            GruStep.backwardCandidate(m, units, activation, recurrentActivation, seq.zx, zo, gates, zo,
                    seq.states[0], so, dStates[0], d, seq.dzx, zo);
            // dRh = dz_h·U_h^T, then through rh = r*hRec.
            times(seq, H_T, m, seq.dzx, zo + 2 * units, w, dAux, d, units, false);
            GruStep.backwardGates(m, units, recurrentActivation, seq.zx, zo, gates, zo, seq.hRec, so, dAux,
                    seq.dzx, zo, dHRec, d);
            times(seq, ZR_T, m, seq.dzx, zo, w, dHRec, d, units, true);
        }
    }

    /** Thread-safe: writes only the given gradient arrays from {@code seq}. */
    @Override
    public void finishBackward(Sequence seq, int p, float[] dU, float[] dBias) {
        int r0 = seq.blockStart(p), n = seq.steps * seq.blockRows(p), w = seq.width;
        int ho = seq.stateOffset(0, r0), zo = seq.zxOffset(0, r0);
        // dU_zr = sum_k hRec_k^T · dz_zr,k and dU_h from the h block's own recurrent input: one multiply each.
        MatMul.gemm(true, false, units, 2 * units, n, seq.hRec, ho, units, seq.dzx, zo, w, dU, 0, w, true);
        if (resetAfter) {
            float[] dRech = seq.cellCache[2];
            MatMul.gemm(true, false, units, units, n, seq.hRec, ho, units, dRech, ho, units, dU, 2 * units, w, true);
            if (bias != null) {
                // Row 1, the recurrent bias (row 0 is the driver's).
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < 2 * units; j++) dBias[w + j] += seq.dzx[zo + r * w + j];
                    for (int j = 0; j < units; j++) dBias[w + 2 * units + j] += dRech[ho + r * units + j];
                }
            }
        } else {
            MatMul.gemm(true, false, units, units, n, seq.cellCache[1], ho, units, seq.dzx, zo + 2 * units, w, dU,
                    2 * units, w, true);
        }
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("activation", activation.name());
        c.put("recurrent_activation", recurrentActivation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.serialize());
        c.put("recurrent_initializer", recurrentInitializer.serialize());
        c.put("bias_initializer", biasInitializer.serialize());
        for (String k : new String[] {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint"}) {
            c.put(k, null);
        }
        c.put("reset_after", resetAfter);
        return c;
    }

    GRUCell copy() {
        GRUCell c = new GRUCell(units);
        c.activation = activation;
        c.recurrentActivation = recurrentActivation;
        c.useBias = useBias;
        c.resetAfter = resetAfter;
        c.kernelInitializer = kernelInitializer;
        c.recurrentInitializer = recurrentInitializer;
        c.biasInitializer = biasInitializer;
        return c;
    }
}
