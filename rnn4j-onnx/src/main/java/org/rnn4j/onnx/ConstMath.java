package org.rnn4j.onnx;

import java.util.Arrays;
import org.rnn4j.io.ModelFormatException;

/** Constant folding: the array operations ONNX glue applies to constants (shapes, axes, indices, weights). */
final class ConstMath {
    private ConstMath() {}

    /** The element count of a folded constant, at most {@link GlueOps#MAX_FILLED}. */
    static long folded(long[] dims, String what) {
        long n = OnnxTensors.count(dims, what);
        if (n > GlueOps.MAX_FILLED) {
            throw new ModelFormatException(what + ": shape " + Arrays.toString(dims) + " has more than the "
                    + GlueOps.MAX_FILLED + " elements a folded constant may have");
        }
        return n;
    }

    static int[] strides(long[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= (int) dims[i];
        }
        return s;
    }

    /** out[i] = in[index(i)] for a gather map from output flat index to input flat index. */
    private static Const remap(Const c, long[] outDims, int[] map) {
        if (c.isFloat()) {
            float[] v = new float[map.length];
            for (int i = 0; i < map.length; i++) v[i] = c.floats[map[i]];
            return Const.ofFloats(outDims, v);
        }
        long[] v = new long[map.length];
        for (int i = 0; i < map.length; i++) v[i] = c.longs[map[i]];
        return Const.ofLongs(outDims, v);
    }

    static Const reshape(Const c, long[] dims) {
        return c.isFloat() ? Const.ofFloats(dims, c.floats) : Const.ofLongs(dims, c.longs);
    }

    static Const transpose(Const c, int[] perm) {
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = c.dims[perm[i]];
        int n = c.size();
        int[] inStrides = strides(c.dims);
        int[] outStrides = strides(out);
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            int src = 0;
            int rem = i;
            for (int a = 0; a < out.length; a++) {
                int idx = rem / outStrides[a];
                rem %= outStrides[a];
                src += idx * inStrides[perm[a]];
            }
            map[i] = src;
        }
        return remap(c, out, map);
    }

    /** Elements {@code starts[a] + k·steps[a]} along each axis a (bounds already clamped by the caller). */
    static Const slice(Const c, long[] starts, long[] counts, long[] steps) {
        long[] out = counts.clone();
        int n = (int) folded(out, "sliced constant");
        int[] inStrides = strides(c.dims);
        int[] outStrides = strides(out);
        int[] map = new int[n];
        for (int i = 0; i < n; i++) {
            int src = 0;
            int rem = i;
            for (int a = 0; a < out.length; a++) {
                int idx = rem / outStrides[a];
                rem %= outStrides[a];
                src += (int) (starts[a] + idx * steps[a]) * inStrides[a];
            }
            map[i] = src;
        }
        return remap(c, out, map);
    }

    static Const gather(Const c, int axis, Const indices) {
        long dim = c.dims[axis];
        long[] idx = indices.asLongs();
        long[] out = new long[c.rank() - 1 + indices.rank()];
        int k = 0;
        for (int a = 0; a < axis; a++) out[k++] = c.dims[a];
        for (long d : indices.dims) out[k++] = d;
        for (int a = axis + 1; a < c.rank(); a++) out[k++] = c.dims[a];
        int outer = 1;
        for (int a = 0; a < axis; a++) outer *= (int) c.dims[a];
        int inner = 1;
        for (int a = axis + 1; a < c.rank(); a++) inner *= (int) c.dims[a];
        int[] map = new int[(int) folded(out, "gathered constant")];
        int m = 0;
        for (int o = 0; o < outer; o++) {
            for (long i : idx) {
                long j = i < 0 ? i + dim : i;
                if (j < 0 || j >= dim) throw new ModelFormatException("Gather index " + i + " is out of range for size " + dim);
                for (int in = 0; in < inner; in++) map[m++] = (int) ((o * dim + j) * inner + in);
            }
        }
        return remap(c, out, map);
    }

    static Const concat(Const[] parts, int axis) {
        long[] out = parts[0].dims.clone();
        out[axis] = 0;
        boolean floats = false;
        for (Const p : parts) {
            if (p.rank() != out.length) throw new ModelFormatException("Concat of constants of different ranks");
            for (int a = 0; a < out.length; a++) {
                if (a != axis && p.dims[a] != out[a]) throw new ModelFormatException("Concat of constants of shapes "
                        + Arrays.toString(parts[0].dims) + " and " + Arrays.toString(p.dims));
            }
            out[axis] += p.dims[axis];
            floats |= p.isFloat();
        }
        int n = (int) folded(out, "concatenated constant");
        int outer = 1;
        for (int a = 0; a < axis; a++) outer *= (int) out[a];
        float[] fv = floats ? new float[n] : null;
        long[] lv = floats ? null : new long[n];
        int m = 0;
        for (int o = 0; o < outer; o++) {
            for (Const p : parts) {
                int block = p.size() / Math.max(1, outer);
                for (int i = 0; i < block; i++) {
                    int src = o * block + i;
                    if (floats) fv[m++] = (float) p.get(src);
                    else lv[m++] = p.longs[src];
                }
            }
        }
        return floats ? Const.ofFloats(out, fv) : Const.ofLongs(out, lv);
    }

    /** Elementwise arithmetic with NumPy broadcasting. */
    static Const binary(Const a, Const b, String op) {
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i - (rank - a.rank()) >= 0 ? a.dims[i - (rank - a.rank())] : 1;
            long db = i - (rank - b.rank()) >= 0 ? b.dims[i - (rank - b.rank())] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new ModelFormatException(op + " of constants of shapes " + Arrays.toString(a.dims) + " and "
                        + Arrays.toString(b.dims) + " that do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        int n = (int) folded(out, op + " result");
        int[] os = strides(out);
        boolean floats = a.isFloat() || b.isFloat();
        float[] fv = floats ? new float[n] : null;
        long[] lv = floats ? null : new long[n];
        for (int i = 0; i < n; i++) {
            int ia = index(i, os, out, a.dims);
            int ib = index(i, os, out, b.dims);
            if (floats) {
                double x = a.get(ia);
                double y = b.get(ib);
                fv[i] = (float) switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> x / y;
                };
            } else {
                long x = a.longs[ia];
                long y = b.longs[ib];
                if (op.equals("Div") && y == 0) throw new ModelFormatException("Div of integer constants by zero");
                lv[i] = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> x / y;
                };
            }
        }
        return floats ? Const.ofFloats(out, fv) : Const.ofLongs(out, lv);
    }

    private static int index(int flat, int[] outStrides, long[] out, long[] dims) {
        int off = out.length - dims.length;
        int idx = 0;
        int stride = 1;
        for (int a = out.length - 1; a >= off; a--) {
            long d = dims[a - off];
            int coord = (flat / outStrides[a]) % (int) out[a];
            if (d != 1) idx += coord * stride;
            stride *= (int) d;
        }
        return idx;
    }
}
