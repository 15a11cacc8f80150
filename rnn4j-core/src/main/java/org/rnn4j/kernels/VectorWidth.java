package org.rnn4j.kernels;

import java.util.function.IntSupplier;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API's preferred float vector size in bits, asked for by {@link KernelPlan} reflectively (so the plan
 * class loads without the incubating module). Only loaded when the module is present.
 *
 * <p>Thread safety: stateless; thread-safe.
 */
final class VectorWidth implements IntSupplier {
    /** Thread-safe: a constant of the JVM. */
    @Override
    public int getAsInt() { return FloatVector.SPECIES_PREFERRED.vectorBitSize(); }
}
