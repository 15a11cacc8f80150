package org.rnn4j.kernels;

/**
 * The right-hand matrix {@code op(B) [k, n]} of a matrix multiply, rearranged once into the layout the active
 * {@link GemmKernel} reads fastest, so a product repeated many times with the same {@code B} (the recurrent kernel
 * of every timestep) pays the rearrangement once.
 *
 * <pre>{@code
 * PackedMatrix u = new PackedMatrix();
 * MatMul.pack(false, units, 4 * units, recurrentKernel, 0, 4 * units, u); // once per sequence
 * for (int t = 0; t < steps; t++) MatMul.gemmPacked(false, batch, h, t * batch * units, units, u, z, zOff, 4 * units, true);
 * }</pre>
 *
 * <p>The buffer grows as needed and is reused by later {@code pack} calls, so packing allocates nothing in steady
 * state. The layout belongs to the kernel that packed it.
 *
 * <p>Thread safety: filled by one thread ({@code pack}), then safe to share among threads that only read it.
 */
public final class PackedMatrix {
    /** Rows ({@code k}) and columns ({@code n}) of {@code op(B)}. */
    int k, n;
    /** The packed values; layout defined by the kernel that wrote them. */
    float[] data = new float[0];
    /** The kernel that packed it (a packed matrix is only read by that kernel). */
    GemmKernel packedBy;

    /** Thread-safe for readers once packed; packing writes it, on one thread. */
    public int rows() { return k; }

    /** Thread-safe for readers once packed; packing writes it, on one thread. */
    public int cols() { return n; }

    float[] ensure(int size) {
        if (data.length < size) data = new float[size];
        return data;
    }
}
