package org.rnn4j.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Model;
import org.rnn4j.models.RecurrentState;

/**
 * The compact form of a {@link RecurrentState} kept in Flink's keyed state: only the state values and the step
 * count ({@code 4 * units * states + 8} bytes for each recurrent layer), without the 40-byte model tag that
 * {@link RecurrentState#toBytes()} puts on every state. The tag is the same for every key of one model, so the codec
 * keeps it once and puts it back when a state is restored.
 *
 * <p>The layout ({@code states x units} of each recurrent layer) is read once from {@code model.newState().toBytes()}
 * (rnn4j's state format version 2: magic, version, 32-byte fingerprint, steps, layer count, then per layer its state
 * count, units and values). The {@linkplain #signature() signature} hashes the layer classes and that layout: two
 * models with equal signatures can continue each other's states (a retrained model of the same architecture).
 *
 * <pre>{@code
 * StateCodec codec = StateCodec.of(model);
 * float[] values = codec.encode(state);                    // what Flink stores
 * RecurrentState back = codec.decode(values, state.steps()); // the same state, on this model
 * }</pre>
 *
 * <p>Thread-safe: immutable after construction; encode and decode may be called concurrently.
 */
public final class StateCodec {
    private static final int MAGIC = 0x52344A53; // "R4JS", RecurrentState.toBytes()
    private static final int FORMAT_VERSION = 2;
    private static final int TAG_BYTES = 4 + 4 + 32; // magic, version, fingerprint

    private final Model model;
    private final byte[] tag;
    /** {@code layout[l] = {states, units}} of recurrent layer l. */
    private final int[][] layout;
    private final int size;
    private final long signature;

    private StateCodec(Model model, byte[] tag, int[][] layout, long signature) {
        this.model = model;
        this.tag = tag;
        this.layout = layout;
        int n = 0;
        for (int[] l : layout) n += l[0] * l[1];
        this.size = n;
        this.signature = signature;
    }

    /**
     * The codec of a model that can stream (Sequential or single-path functional, at least one recurrent layer).
     * Thread-safe: may be called concurrently.
     */
    public static StateCodec of(Model model) {
        if (model == null) throw new IllegalArgumentException("StateCodec.of: model is null");
        byte[] bytes = model.newState().toBytes();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt(), version = in.readInt();
            if (magic != MAGIC || version != FORMAT_VERSION) {
                throw new IllegalStateException("rnn4j-flink reads recurrent state format " + FORMAT_VERSION + " (magic "
                        + Integer.toHexString(MAGIC) + "), this rnn4j-core writes format " + version + " (magic "
                        + Integer.toHexString(magic) + "): use rnn4j-flink of the same release as rnn4j-core");
            }
            in.skipNBytes(32 + 8); // fingerprint, steps
            int layers = in.readInt();
            int[][] layout = new int[layers][];
            for (int l = 0; l < layers; l++) {
                int states = in.readInt(), units = in.readInt();
                layout[l] = new int[] {states, units};
                in.skipNBytes(4L * states * units);
            }
            return new StateCodec(model, Arrays.copyOf(bytes, TAG_BYTES), layout, signatureOf(model, layout));
        } catch (IOException e) {
            throw new IllegalStateException("model \"" + model.name() + "\": its state bytes are shorter than their layout", e);
        }
    }

    private static long signatureOf(Model model, int[][] layout) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Layer l : model.layers()) md.update((l.className() + ";").getBytes(StandardCharsets.UTF_8));
            for (int[] l : layout) md.update((l[0] + "x" + l[1] + ";").getBytes(StandardCharsets.UTF_8));
            byte[] d = md.digest();
            long s = 0;
            for (int i = 0; i < 8; i++) s = (s << 8) | (d[i] & 0xff);
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The model this codec restores states onto. Thread-safe. */
    public Model model() { return model; }

    /** Floats in one encoded state. Thread-safe. */
    public int size() { return size; }

    /**
     * A hash of the layer classes and the state layout: equal for models whose states can continue each other's
     * (same architecture, any weights). Thread-safe.
     */
    public long signature() { return signature; }

    /** The state's values, layer by layer, state by state. Thread-safe across states; {@code state} is not modified. */
    public float[] encode(RecurrentState state) {
        float[] out = new float[size];
        int o = 0;
        for (int l = 0; l < layout.length; l++) {
            for (int s = 0; s < layout[l][0]; s++) {
                float[] v = state.get(l, s);
                System.arraycopy(v, 0, out, o, v.length);
                o += v.length;
            }
        }
        return out;
    }

    /**
     * The state with these values and step count, bound to this codec's model. Costs one pass over the model's weights
     * (the core checks the fingerprint); callers cache the result. Thread-safe: may be called concurrently.
     */
    public RecurrentState decode(float[] values, long steps) {
        if (values == null || values.length != size) {
            throw new IllegalArgumentException("StateCodec.decode: model \"" + model.name() + "\" keeps " + size
                    + " state values per key, got " + (values == null ? "null" : values.length));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(TAG_BYTES + 16 + 8 * layout.length + 4 * size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(tag);
            out.writeLong(steps);
            out.writeInt(layout.length);
            int o = 0;
            for (int[] l : layout) {
                out.writeInt(l[0]);
                out.writeInt(l[1]);
                for (int i = 0; i < l[0] * l[1]; i++) out.writeFloat(values[o++]);
            }
            // Format 2 ends with a CRC-32 of everything before it (the core refuses a state without it).
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array stream does not fail
        }
        return model.restoreState(bytes.toByteArray());
    }
}
