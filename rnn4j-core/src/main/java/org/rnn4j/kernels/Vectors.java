package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every Vector API kernel uses: the one of {@link KernelPlan#vector()} (the JVM's preferred width,
 * or the one forced with {@code -Drnn4j.kernel}). A static final field, so the JIT treats it as a constant, as it
 * does {@code FloatVector.SPECIES_PREFERRED}. Only loaded when the module is present.
 *
 * <p>Thread safety: constants; thread-safe.
 */
final class Vectors {
    /** The species of the active plan. */
    static final VectorSpecies<Float> FLOAT = species(KernelPlan.vector().vectorBits());

    private Vectors() {}

    private static VectorSpecies<Float> species(int bits) {
        switch (bits) {
            case 512: return FloatVector.SPECIES_512;
            case 256: return FloatVector.SPECIES_256;
            case 128: return FloatVector.SPECIES_128;
            default: throw new IllegalStateException("no " + bits + "-bit float species");
        }
    }
}
