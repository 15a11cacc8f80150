package org.rnn4j.models;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.layers.recurrent.RecurrentStep;
import org.rnn4j.layers.recurrent.StreamStep;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * A model compiled for streaming: one timestep through every layer for a batch of independent streams, each
 * with its own {@link RecurrentState}. Recurrent layers step their cell ({@link RecurrentStep}, the cell's own
 * step with its states carried by the caller); every other layer runs its own inference forward pass on the
 * timestep ({@code [streams, 1, features]}): the same code that {@code predict} runs, so any layer that works
 * timestep by timestep ({@link Layer#timestepwise}) streams, and a mask made by Masking reaches the recurrent
 * layers after it (a masked stream keeps its states), as in the driver.
 *
 * <p>Immutable after construction, so one plan serves any number of threads; every call owns its working
 * arrays.
 */
final class StreamingPlan {
    private static final int MAGIC = 0x52344A53; // "R4JS"
    private static final int VERSION = 2;

    final Model model;
    private final List<Layer> layers;
    private final List<Stage> stages = new ArrayList<>();
    private final List<RNN<?>> recurrent = new ArrayList<>();
    private final int inputDim;
    private final int outputDim;

    private StreamingPlan(Model model) {
        this.model = model;
        this.layers = List.copyOf(model.layers());
        int[] in;
        List<Layer> chain;
        if (model instanceof Sequential seq) {
            in = seq.inputShape();
            chain = layers;
            if (in == null || !model.isBuilt()) {
                throw new IllegalStateException("Model \"" + model.name() + "\" is not built yet: give the first layer an input "
                        + "shape (inputShape(timesteps, features)) before streaming");
            }
        } else if (model instanceof Functional f) {
            in = f.inputs().size() == 1 ? f.inputs().get(0).batchShape() : null;
            chain = chain(f);
        } else {
            throw new IllegalArgumentException("Streaming (newState/step) supports Sequential and functional models; model \""
                    + model.name() + "\" is a " + model.getClass().getSimpleName());
        }
        if (in.length != 3) {
            throw new IllegalArgumentException("Streaming steps one timestep at a time, so the model input must be "
                    + "(batch, timesteps, features); model \"" + model.name() + "\" takes " + Shapes.toString(in));
        }
        inputDim = in[2];
        int dim = inputDim;
        boolean timeAxis = true;
        for (Layer l : chain) {
            if (l instanceof RNN<?> r) {
                if (r.goBackwards()) throw unsupported(l, "go_backwards needs the whole sequence before its first output");
                stages.add(new RecurrentStage(r, recurrent.size(), timeAxis));
                recurrent.add(r);
                timeAxis = r.returnSequences();
                dim = r.units();
            } else if (l.timestepwise()) {
                int[] inShape = timeAxis ? new int[] {Shapes.NONE, 1, dim} : new int[] {Shapes.NONE, dim};
                int[] out = l.outputShape(inShape);
                stages.add(new LayerStage(l, timeAxis));
                timeAxis = out.length == 3;
                dim = out[out.length - 1];
            } else {
                throw unsupported(l, "its output at a timestep depends on other timesteps");
            }
        }
        outputDim = dim;
    }

    /**
     * The layers of a functional model that is one path from its input to its output, in call order; other graphs
     * (several inputs or outputs, merges, a layer's second output) have no single timestep row to pass along.
     */
    private static List<Layer> chain(Functional f) {
        if (f.inputs().size() != 1 || f.outputs().size() != 1) {
            throw new IllegalArgumentException("Streaming runs models with one input and one output; functional model \""
                    + f.name() + "\" has " + f.inputs().size() + " input(s) and " + f.outputs().size() + " output(s)");
        }
        List<Layer> chain = new ArrayList<>();
        KerasTensor t = f.outputs().get(0);
        while (!t.node().isInput()) {
            Node node = t.node();
            Layer l = node.layer();
            if (node.inputs().size() != 1) {
                throw new IllegalArgumentException("Layer \"" + l.name() + "\" (" + l.className() + ") of model \"" + f.name()
                        + "\" takes " + node.inputs().size() + " inputs; streaming runs models that are a single path of layers");
            }
            if (t.tensorIndex() != 0) {
                throw new IllegalArgumentException("Model \"" + f.name() + "\" uses output " + t.tensorIndex() + " of layer \""
                        + l.name() + "\" (a returned state); streaming follows each layer's main output");
            }
            chain.add(0, l);
            t = node.inputs().get(0);
        }
        return chain;
    }

    static StreamingPlan of(Model model) { return new StreamingPlan(model); }

    /** True while the model still has exactly the layers this plan was made for. */
    boolean matches(List<Layer> current) {
        if (current.size() != layers.size()) return false;
        for (int i = 0; i < layers.size(); i++) if (current.get(i) != layers.get(i)) return false;
        return true;
    }

    private IllegalArgumentException unsupported(Layer l, String why) {
        return new IllegalArgumentException("Layer \"" + l.name() + "\" (" + l.className() + ") cannot be streamed: " + why
                + ". Streaming runs LSTM, GRU and SimpleRNN (not go_backwards) and the layers that work timestep by "
                + "timestep (Dense, TimeDistributed, Activation, Dropout, Masking, ...)");
    }

    int inputDim() { return inputDim; }

    int outputDim() { return outputDim; }

    RecurrentState newState() {
        float[][][] v = new float[recurrent.size()][][];
        for (int i = 0; i < v.length; i++) {
            RNN<?> r = recurrent.get(i);
            v[i] = new float[r.cell().stateCount()][r.units()];
        }
        return new RecurrentState(this, v, 0);
    }

    // ---------------------------------------------------------------- stepping

    /** Advances the streams by one timestep; {@code xs[b]} is stream b's input. Returns each stream's output. */
    float[][] step(List<RecurrentState> states, float[][] xs) {
        int n = states.size();
        if (xs == null || xs.length != n) {
            throw new IllegalArgumentException("step: got " + n + " state(s) but " + (xs == null ? 0 : xs.length) + " input row(s)");
        }
        Set<RecurrentState> seen = n > 1 ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
        float[] x = new float[n * inputDim];
        for (int b = 0; b < n; b++) {
            RecurrentState s = states.get(b);
            checkOwner(s, b);
            if (seen != null && !seen.add(s)) {
                throw new IllegalArgumentException("step: state " + b + " appears twice in one call; each stream advances once per step");
            }
            if (xs[b] == null || xs[b].length != inputDim) {
                throw new IllegalArgumentException("step: model \"" + model.name() + "\" takes " + inputDim + " feature(s) per "
                        + "timestep, got " + (xs[b] == null ? "null" : xs[b].length + " value(s)") + (n > 1 ? " for stream " + b : ""));
            }
            System.arraycopy(xs[b], 0, x, b * inputDim, inputDim);
        }
        Batch batch = new Batch(n, states);
        for (Stage st : stages) x = st.run(batch, x);
        float[][] out = new float[n][];
        for (int b = 0; b < n; b++) {
            out[b] = Arrays.copyOfRange(x, b * outputDim, (b + 1) * outputDim);
            states.get(b).steps++;
        }
        return out;
    }

    private void checkOwner(RecurrentState s, int index) {
        if (s == null) throw new IllegalArgumentException("step: state " + index + " is null");
        if (s.plan == this) return;
        if (s.plan.model == model) {
            throw new IllegalArgumentException("step: this state was made before the layers of model \"" + model.name()
                    + "\" changed; make a new one with newState()");
        }
        throw new IllegalArgumentException("step: this state belongs to model \"" + s.plan.model.name() + "\", not to model \""
                + model.name() + "\"; states are bound to the model that made them (use toBytes()/restoreState() to move "
                + "a stream between instances of the same model)");
    }

    /** The streams of one call and their timestep mask {@code [n, 1]} (null: every stream's step counts). */
    private static final class Batch {
        final int n;
        final List<RecurrentState> states;
        Tensor mask;

        Batch(int n, List<RecurrentState> states) {
            this.n = n;
            this.states = states;
        }
    }

    private abstract static class Stage {
        /** Transforms the rows {@code x [n, in]} of this timestep into {@code [n, out]}. */
        abstract float[] run(Batch batch, float[] x);
    }

    private static final class RecurrentStage extends Stage {
        final RNN<?> layer;
        final int index;

        RecurrentStage(RNN<?> layer, int index, boolean timeAxis) {
            if (!timeAxis) {
                throw new IllegalArgumentException("Layer \"" + layer.name() + "\" (" + layer.className() + ") gets one vector per "
                        + "sequence (the recurrent layer before it has return_sequences=false), so it cannot be streamed");
            }
            this.layer = layer;
            this.index = index;
        }

        /** Per stream, whether this timestep counts (false: masked, the stream keeps its states); null: all count. */
        private static boolean[] keep(Tensor mask) {
            if (mask == null) return null;
            float[] m = mask.data();
            boolean[] keep = new boolean[m.length];
            for (int b = 0; b < m.length; b++) keep[b] = m[b] != 0f;
            return keep;
        }

        /** The cell's stream step and the weight versions it was made from. */
        private record Packed(int[] versions, StreamStep step) {}

        private volatile Packed packed;

        /**
         * The cell's {@link StreamStep} for the current weights, made again when a weight changed since (training
         * between steps, set_weights): versions are read before the values, so a change while packing shows next call.
         */
        private StreamStep streamStep() {
            List<Weight> ws = layer.cell().weights();
            int[] v = new int[ws.size()];
            for (int i = 0; i < v.length; i++) v[i] = ws.get(i).version();
            Packed p = packed;
            if (p == null || !Arrays.equals(p.versions, v)) packed = p = new Packed(v, layer.cell().packStreamStep());
            return p.step;
        }

        @Override
        float[] run(Batch batch, float[] x) {
            int n = batch.n, h = layer.units(), count = layer.cell().stateCount();
            boolean[] keep = keep(batch.mask);
            // The mask goes on only with the sequence (Keras drops it after return_sequences=false).
            if (!layer.returnSequences()) batch.mask = null;
            if (n == 1) {
                // One stream: its own state arrays are the batch, updated in place.
                float[][] own = batch.states.get(0).values[index];
                RecurrentStep.run(layer, 1, x, own, keep, streamStep());
                return own[0];
            }
            float[][] st = new float[count][n * h];
            for (int b = 0; b < n; b++) {
                float[][] own = batch.states.get(b).values[index];
                for (int s = 0; s < count; s++) System.arraycopy(own[s], 0, st[s], b * h, h);
            }
            RecurrentStep.run(layer, n, x, st, keep, streamStep());
            for (int b = 0; b < n; b++) {
                float[][] own = batch.states.get(b).values[index];
                for (int s = 0; s < count; s++) System.arraycopy(st[s], b * h, own[s], 0, h);
            }
            return st[0];
        }
    }

    /**
     * A layer that works timestep by timestep, run through its own inference forward pass on this timestep's rows:
     * {@code [n, 1, features]}, or {@code [n, features]} after a recurrent layer that returns one vector per sequence.
     */
    private static final class LayerStage extends Stage {
        final Layer layer;
        final boolean timeAxis;

        LayerStage(Layer layer, boolean timeAxis) {
            this.layer = layer;
            this.timeAxis = timeAxis;
        }

        @Override
        float[] run(Batch batch, float[] x) {
            int n = batch.n, f = x.length / n;
            Tensor in = timeAxis ? Tensor.of(x, n, 1, f) : Tensor.of(x, n, f);
            Pass pass = layer.call(in, layer.supportsMasking() ? batch.mask : null, false);
            batch.mask = pass.mask;
            return pass.output().data();
        }
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * SHA-256 of what a state depends on: each layer's class and config (activations, units, flags: a tanh LSTM's
     * state means nothing to a relu one), each recurrent layer's units and state count, every weight's shape and
     * value. Layer names are left out: a model rebuilt or reloaded elsewhere keeps its meaning under other names.
     */
    byte[] fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("rnn4j-stream/1".getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(4096);
            for (Layer l : layers) {
                md.update(l.className().getBytes(StandardCharsets.UTF_8));
                md.update(String.valueOf(withoutNames(l.getConfig())).getBytes(StandardCharsets.UTF_8));
                if (l instanceof RNN<?> r) {
                    md.update(new byte[] {(byte) r.cell().stateCount(), (byte) (r.returnSequences() ? 1 : 0)});
                    buf = put(md, buf).putInt(r.units());
                }
                for (Weight w : l.weights()) {
                    for (int d : w.shape()) buf = put(md, buf).putInt(d);
                    for (float v : w.value().data()) buf = put(md, buf).putInt(Float.floatToIntBits(v));
                }
            }
            buf.flip();
            md.update(buf);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A config with every {@code name} key dropped, nested configs too, keys sorted. */
    private static Object withoutNames(Object config) {
        if (config instanceof java.util.Map<?, ?> m) {
            java.util.TreeMap<String, Object> out = new java.util.TreeMap<>();
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                if (!"name".equals(e.getKey())) out.put(String.valueOf(e.getKey()), withoutNames(e.getValue()));
            }
            return out;
        }
        if (config instanceof java.util.List<?> list) {
            List<Object> out = new java.util.ArrayList<>();
            for (Object o : list) out.add(withoutNames(o));
            return out;
        }
        return config;
    }

    /** Flushes the buffer into the digest when it cannot take another int. */
    private static ByteBuffer put(MessageDigest md, ByteBuffer buf) {
        if (buf.remaining() < 4) {
            buf.flip();
            md.update(buf);
            buf.clear();
        }
        return buf;
    }

    byte[] toBytes(RecurrentState s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.write(fingerprint());
            out.writeLong(s.steps);
            out.writeInt(s.values.length);
            for (float[][] layer : s.values) {
                out.writeInt(layer.length);
                out.writeInt(layer[0].length);
                for (float[] st : layer) for (float v : st) out.writeFloat(v);
            }
            out.flush();
            // A CRC-32 of everything before it: a flipped bit anywhere is refused on restore.
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array stream does not fail
        }
    }

    RecurrentState restore(byte[] data) {
        if (data == null) throw new IllegalArgumentException("restoreState: the bytes are null");
        try {
            if (data.length >= 12) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(data, 0, data.length - 4);
                int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
                boolean known = ByteBuffer.wrap(data, 0, 8).getInt() == MAGIC && ByteBuffer.wrap(data, 4, 4).getInt() == VERSION;
                if (known && stored != (int) crc.getValue()) {
                    throw new IllegalArgumentException("restoreState: the state bytes are corrupt or truncated (CRC-32 mismatch over "
                            + data.length + " bytes)");
                }
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, Math.max(0, data.length - 4)));
            if (data.length < 12 || in.readInt() != MAGIC) {
                throw new IllegalArgumentException("restoreState: these bytes are not an rnn4j recurrent state (they come from "
                        + "RecurrentState.toBytes())");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("restoreState: state format version " + version + " is not supported; "
                        + "this rnn4j reads version " + VERSION);
            }
            byte[] saved = in.readNBytes(32);
            long steps = in.readLong();
            int layerCount = in.readInt();
            if (layerCount != recurrent.size()) {
                throw new IllegalArgumentException("restoreState: the state belongs to another model: it holds "
                        + layerCount + " recurrent layer(s), model \"" + model.name() + "\" has " + recurrent.size());
            }
            float[][][] v = new float[layerCount][][];
            for (int l = 0; l < layerCount; l++) {
                RNN<?> r = recurrent.get(l);
                int count = in.readInt(), units = in.readInt();
                if (count != r.cell().stateCount() || units != r.units()) {
                    throw new IllegalArgumentException("restoreState: the state belongs to another model: its recurrent layer "
                            + l + " has " + count + " state(s) of " + units + " units, layer \"" + r.name() + "\" of model \""
                            + model.name() + "\" has " + r.cell().stateCount() + " of " + r.units());
                }
                v[l] = new float[count][units];
                for (float[] st : v[l]) for (int j = 0; j < units; j++) st[j] = in.readFloat();
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("restoreState: " + in.available() + " unexpected byte(s) after the state");
            }
            byte[] own = fingerprint();
            if (!MessageDigest.isEqual(saved, own)) {
                HexFormat hex = HexFormat.of();
                throw new IllegalArgumentException("restoreState: the state belongs to another model (fingerprint "
                        + hex.formatHex(saved, 0, 8) + ", model \"" + model.name() + "\" has " + hex.formatHex(own, 0, 8)
                        + "): the architecture or the weight values differ from those of the model that saved it");
            }
            return new RecurrentState(this, v, steps);
        } catch (IOException e) {
            throw new IllegalArgumentException("restoreState: the state bytes are truncated (" + data.length + " bytes)", e);
        }
    }
}
