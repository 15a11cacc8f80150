package org.rnn4j.kernels;

import static org.rnn4j.kernels.FastMath.LN2_HI;
import static org.rnn4j.kernels.FastMath.LN2_LO;
import static org.rnn4j.kernels.FastMath.LOG2E;
import static org.rnn4j.kernels.FastMath.MIN_ARG;
import static org.rnn4j.kernels.FastMath.ROUNDER;
import static org.rnn4j.kernels.FastMath.ROUNDER_BITS;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastMath#exp} for one vector of floats, lane by lane the same value as the scalar function: the same steps,
 * each an operation that rounds exactly once (multiply, add, fused multiply-add as {@link Math#fma}, integer bit
 * arithmetic). So a
 * vector body and its scalar tail agree bit for bit, and so do interpreted and compiled code. (The Vector API's own
 * {@code lanewise(EXP)} is an intrinsic once compiled and a per-lane {@code Math.exp} before, which differ in the
 * last bit: results changed as the JIT warmed up.) It uses one mask (a compare tested with {@code anyTrue}) and no lane
 * conversions; a vector with a lane out of range takes the scalar function.
 *
 * <p>It reads and writes arrays rather than taking or returning a vector: a vector crossing a method boundary is
 * boxed whenever C2 does not inline the method. Stateless; thread-safe.
 */
final class VectorExp {
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int L = S.length();

    private VectorExp() {}

    /** {@code dst[d + l] = FastMath.exp(scale * src[s + l])} for the lanes l of one vector. */
    static void into(float[] src, int s, float scale, float[] dst, int d) {
        FloatVector x = FloatVector.fromArray(S, src, s).mul(scale);
        // |x| within the lower limit keeps every lane in range (the few lanes between the two limits take the scalar
        // path too, which gives the same values). A NaN lane fails no comparison and needs none: it stays NaN through
        // every step below, as in the scalar function. One compare and a mask test, no reduction across lanes.
        if (x.abs().compare(VectorOperators.GT, -MIN_ARG).anyTrue()) {
            // A lane may overflow or flush to zero: rare, scalar.
            for (int l = 0; l < L; l++) dst[d + l] = FastMath.exp(scale * src[s + l]);
            return;
        }
        FloatVector m = x.fma(FloatVector.broadcast(S, LOG2E), FloatVector.broadcast(S, ROUNDER));
        FloatVector k = m.sub(ROUNDER);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_LO), k.fma(FloatVector.broadcast(S, -LN2_HI), x));
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(S, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        FloatVector e = p.fma(r.mul(r), r).add(1f);
        // In range, k = bits(m) - ROUNDER_BITS is within [-126, 126], so 2^k is one normal float (the scalar
        // function's two factors 2^a 2^b, a + b = k, are for k = 128 and -127): e 2^k rounds once, as e 2^a 2^b does.
        FloatVector pk = m.reinterpretAsInts().add(127 - ROUNDER_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        e.mul(pk).intoArray(dst, d);
    }
}
