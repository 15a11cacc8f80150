package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sigmoid and tanh of whole float vectors for the gate math ({@link VectorLstmGates}, {@link VectorGruGates}), from
 * the vector {@code EXP} (an intrinsic on x86). Small static methods, so C2 inlines them with every operation
 * intrinsified. Only loaded when the module is present.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {}

    /** 1 / (1 + e^-x). */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        return one.div(x.neg().lanewise(VectorOperators.EXP).add(one));
    }

    /** tanh(x) = 2 / (1 + e^-2x) - 1. */
    static FloatVector tanh(FloatVector x) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        return FloatVector.broadcast(S, 2f).div(x.mul(-2f).lanewise(VectorOperators.EXP).add(one)).sub(one);
    }
}
