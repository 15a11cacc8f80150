package org.rnn4j.autodiff;

import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Weight;

/**
 * Creates a weight of the layer being built (named {@code <layer>/<name>}), for composed cells and layers.
 * Not thread-safe: used while building, on one thread.
 *
 * <pre>{@code
 * // in a ComposedLayer (or ComposedCell): the weights are named "<layer>/kernel" and "<layer>/bias"
 * protected void build(WeightFactory f, int inputDim) {
 *     kernel = f.add("kernel", new int[] {inputDim, units}, "glorot_uniform");
 *     bias = f.add("bias", new int[] {units}, Initializer.zeros());
 * }
 * }</pre>
 *
 * <p>Thread safety: used by a layer's build, on the building thread (not thread-safe).
 */
@FunctionalInterface
public interface WeightFactory {
    /** Not thread-safe: called by the layer's build, on the building thread. */
    Weight add(String name, int[] shape, Initializer init);

    /**
     * With an initializer by Keras name ({@code "glorot_uniform"}).
     * Not thread-safe: called by the layer's build, on the building thread.
     */
    default Weight add(String name, int[] shape, String init) { return add(name, shape, Initializer.get(init)); }
}
