package org.rnn4j.models;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * A functional model used as a layer of another model, as Keras allows ({@code y = encoder(x)}): its weights are
 * the inner model's (shared with it), its call runs the inner graph. Obtained from {@link Functional#asLayer()};
 * {@link Functional#apply} calls it.
 *
 * <pre>{@code
 * Functional encoder = Model.of(x, new LSTM(8).apply(x));
 * Input a = new Input(5, 1);
 * Functional classifier = Model.of(a, new Dense(1, "sigmoid").apply(encoder.apply(a)));
 * }</pre>
 *
 * <p>Thread safety: as its {@link Functional} model and every layer: configure before sharing; inference-mode calls
 * are thread-safe.
 */
public final class NestedModel extends Layer {
    private final Functional model;

    NestedModel(Functional model) {
        super("functional");
        this.model = model;
        name(model.name());
        addWeights(model.weights());
    }

    /** The model this layer runs. Thread-safe: reads configuration fixed before sharing. */
    public Functional model() { return model; }

    /** Keras 2.4+ and 3 call a functional model's class {@code Functional}. Thread-safe: a constant. */
    @Override
    public String className() { return "Functional"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        requireInputs(shapes.size(), model.inputCount());
        for (int i = 0; i < shapes.size(); i++) {
            int[] want = model.inputs().get(i).shape();
            if (!acceptsShape(i, want, shapes.get(i))) {
                throw new IllegalArgumentException("Input " + i + " of layer \"" + name() + "\" is incompatible: expected shape "
                        + Shapes.toString(want) + ", got " + Shapes.toString(shapes.get(i)));
            }
        }
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        int[] want = model.inputs().get(index).shape();
        if (want.length != got.length) return false;
        for (int d = 0; d < want.length; d++) if (want[d] >= 0 && got[d] >= 0 && want[d] != got[d]) return false;
        return true;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        List<int[]> out = new ArrayList<>();
        for (int[] s : model.outputShapes()) {
            int[] c = s.clone();
            if (c[0] < 0 && !inputShapes.isEmpty()) c[0] = inputShapes.get(0)[0];
            out.add(c);
        }
        return out;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return outputShapes(List.of(inputShape)).get(0); }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        return model.forwardModel(inputs, training);
    }

    /** Thread-safe: each stateful layer waits for its running call, then resets. */
    @Override
    public void resetStates() { model.resetStates(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    @Override
    public void setTrainable(boolean trainable) {
        super.setTrainable(trainable);
        for (Layer l : model.layers()) l.setTrainable(trainable);
    }
}
