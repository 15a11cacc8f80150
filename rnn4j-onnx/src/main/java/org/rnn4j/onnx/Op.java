package org.rnn4j.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.io.KerasVersion;
import org.rnn4j.io.LayerRegistry;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.reshaping.Reshape;
import org.rnn4j.tensor.Tensor;

/**
 * One rnn4j layer application the importer will make: ops are collected while the ONNX graph is read and built
 * into Keras tensors afterwards, from the graph outputs back, so a recurrent layer knows every use of its output
 * (a sequence, only its last timestep, its states) before it is configured.
 */
abstract class Op {
    /** An output of an op. */
    record Ref(Op op, int index) {
        KerasTensor build() { return op.output(index); }
    }

    /** The ONNX node this op came from, for error messages. */
    final String node;
    final List<Ref> inputs = new ArrayList<>();
    private KerasTensor[] built;
    /** Weights to set once the layer is built, and the layer that takes them. */
    Layer weightsLayer;
    List<Tensor> weights;

    Op(String node) { this.node = node; }

    final KerasTensor[] outputs() {
        if (built == null) {
            KerasTensor[] in = new KerasTensor[inputs.size()];
            for (int i = 0; i < in.length; i++) in[i] = inputs.get(i).build();
            built = build(in);
            if (weights != null) {
                try {
                    weightsLayer.setWeights(weights);
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException("Node \"" + node + "\": its weights do not fit layer \""
                            + weightsLayer.name() + "\": " + e.getMessage(), e);
                }
            }
        }
        return built;
    }

    abstract KerasTensor[] build(KerasTensor[] in);

    /** Output {@code index} of the built op. */
    KerasTensor output(int index) { return outputs()[index]; }

    /** Adds an input, telling a recurrent op how its outputs are used (sequence, last timestep, states). */
    final void addInput(Ref r) {
        inputs.add(r);
        if (r.op() instanceof RecurrentOp ro) ro.noteUse(r.index(), this instanceof LastStepOp);
    }

    /** A graph input. */
    static final class InputOp extends Op {
        final int[] shape;
        final String name;

        InputOp(String name, int[] shape) {
            super(name);
            this.name = name;
            this.shape = shape;
        }

        @Override
        KerasTensor[] build(KerasTensor[] in) {
            return new KerasTensor[] {new Input(shape).name(inputName(name))};
        }
    }

    /** An ONNX value name as a Keras layer name: letters, digits and underscores. */
    static String inputName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_]", "_");
        return s.isEmpty() || !Character.isLetter(s.charAt(0)) ? "input_" + s : s;
    }

    /** A layer with a single output, applied to the inputs. */
    static final class LayerOp extends Op {
        final Layer layer;

        LayerOp(String node, Layer layer, Ref... inputs) {
            super(node);
            this.layer = layer;
            for (Ref r : inputs) addInput(r);
        }

        @Override
        KerasTensor[] build(KerasTensor[] in) { return new KerasTensor[] {layer.apply(in)}; }
    }

    /** A Dense layer whose bias and activation may still be folded in from the nodes after it. */
    static final class DenseOp extends Op {
        final float[] kernel;
        final int inputDim;
        final int units;
        float[] bias;
        String activation = "linear";
        /** Whether the node's output is read only by the next node (so a following Add/activation may fold in). */
        final boolean foldable;

        DenseOp(String node, Ref input, float[] kernel, int inputDim, int units, float[] bias, boolean foldable) {
            super(node);
            addInput(input);
            this.kernel = kernel;
            this.inputDim = inputDim;
            this.units = units;
            this.bias = bias;
            this.foldable = foldable;
        }

        @Override
        KerasTensor[] build(KerasTensor[] in) {
            Dense dense = new Dense(units, activation).useBias(bias != null);
            KerasTensor out = dense.apply(in);
            weightsLayer = dense;
            weights = bias == null ? List.of(Tensor.of(kernel, inputDim, units))
                    : List.of(Tensor.of(kernel, inputDim, units), Tensor.of(bias, units));
            return new KerasTensor[] {out};
        }
    }

    /**
     * The last timestep of a sequence: a unidirectional recurrent layer whose sequence is used for nothing else
     * simply stops returning sequences; otherwise Keras's {@code Cropping1D} keeps the last step and
     * {@code Reshape} drops the time axis.
     */
    static final class LastStepOp extends Op {
        final int timesteps;
        final int features;

        LastStepOp(String node, Ref sequence, int timesteps, int features) {
            super(node);
            addInput(sequence);
            this.timesteps = timesteps;
            this.features = features;
        }

        @Override
        KerasTensor[] build(KerasTensor[] in) {
            Ref seq = inputs.get(0);
            if (seq.op() instanceof RecurrentOp r && seq.index() == 0 && r.lastOnly()) return in;
            if (timesteps <= 0) {
                throw new ModelFormatException("Node \"" + node + "\" takes the last timestep of a sequence whose length "
                        + "is dynamic; rnn4j can do that only for a forward recurrent layer's own output");
            }
            if (!LayerRegistry.isRegistered("Cropping1D")) {
                throw new ModelFormatException("Node \"" + node + "\" takes the last timestep of a sequence that is used "
                        + "elsewhere too (or of a bidirectional layer); that needs Keras's Cropping1D layer, which this "
                        + "rnn4j-core does not have");
            }
            ObjectNode config = new ObjectMapper().createObjectNode();
            config.putArray("cropping").add(timesteps - 1).add(0);
            Layer crop = LayerRegistry.create("Cropping1D", config, KerasVersion.KERAS_3);
            return new KerasTensor[] {new Reshape(features).apply(crop.apply(in[0]))};
        }
    }
}
