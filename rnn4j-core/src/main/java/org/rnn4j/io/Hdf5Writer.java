package org.rnn4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small HDF5 writer for what Keras weight files hold: nested groups (empty ones too), contiguous little-endian
 * float32/float64/int64/int8 datasets of any rank including scalars, and string attributes on groups.
 *
 * <p>Why not jHDF: jHDF 0.10.0 can write, but a group holding both an empty group and a non-empty one comes out
 * unreadable, and Keras 3's {@code model.weights.h5} is full of empty {@code vars} groups.
 *
 * <p>The file is the HDF5 "latest format" subset: superblock version 2, version 2 object headers, groups with
 * compact link storage (Link Info, Group Info and Link messages), dataspace v2, fill value v3, data layout v3
 * (contiguous), attribute message v3 with fixed-length strings. Checksums are Jenkins lookup3, as HDF5's.
 * Readers: the HDF5 library (h5py, Keras) and jHDF.
 *
 * <pre>{@code
 * Hdf5Writer.Group root = new Hdf5Writer.Group();
 * Hdf5Writer.Group vars = root.group("layers").group("dense").group("vars");
 * vars.attribute("name", "dense");
 * vars.floats("0", kernel.data(), kernel.shape());
 * byte[] file = root.toBytes();
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: build and write one file on one thread.
 */
public final class Hdf5Writer {
    private static final long UNDEFINED = -1L;

    private Hdf5Writer() {}

    /** A node of the file: a group or a dataset. */
    public abstract static sealed class Node permits Group, Dataset {
        final Map<String, String> attributes = new LinkedHashMap<>();
        long address;

        /** Adds a fixed-length UTF-8 string attribute. Not thread-safe: build and write one file on one thread. */
        public Node attribute(String name, String value) {
            attributes.put(name, value);
            return this;
        }

        abstract int headerSize();
    }

    /** A group; the root group is the file. */
    public static final class Group extends Node {
        final Map<String, Node> children = new LinkedHashMap<>();

        /**
         * The child group of that name, created when absent.
         * Not thread-safe: build and write one file on one thread.
         */
        public Group group(String name) {
            checkName(name);
            Node n = children.get(name);
            if (n instanceof Group g) return g;
            if (n != null) throw new IllegalArgumentException("HDF5: \"" + name + "\" is already a dataset");
            Group g = new Group();
            children.put(name, g);
            return g;
        }

        /**
         * A float32 dataset of that shape ({@code shape.length == 0} for a scalar).
         * Not thread-safe: build and write one file on one thread.
         */
        public Dataset floats(String name, float[] values, int... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return put(name, new Dataset(Type.FLOAT32, shape, b.array(), values.length));
        }

        /** A float64 dataset. Not thread-safe: build and write one file on one thread. */
        public Dataset doubles(String name, double[] values, int... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(values);
            return put(name, new Dataset(Type.FLOAT64, shape, b.array(), values.length));
        }

        /**
         * An int8 dataset of whole numbers in [-128, 127] held as floats (a quantized kernel).
         * Not thread-safe: build and write one file on one thread.
         * @throws IllegalArgumentException when a value is not such a number
         */
        public Dataset int8s(String name, float[] values, int... shape) {
            byte[] b = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                float v = values[i];
                if (!(v >= -128 && v <= 127) || v != Math.rint(v)) {
                    throw new IllegalArgumentException("HDF5 int8 dataset \"" + name + "\": value " + i + " is " + v);
                }
                b[i] = (byte) v;
            }
            return put(name, new Dataset(Type.INT8, shape, b, values.length));
        }

        /** An int64 dataset. Not thread-safe: build and write one file on one thread. */
        public Dataset longs(String name, long[] values, int... shape) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(values);
            return put(name, new Dataset(Type.INT64, shape, b.array(), values.length));
        }

        private Dataset put(String name, Dataset d) {
            checkName(name);
            long count = 1;
            for (int s : d.shape) count *= s;
            if (count != d.count) {
                throw new IllegalArgumentException("HDF5 dataset \"" + name + "\": shape holds " + count + " values, got " + d.count);
            }
            if (children.containsKey(name)) throw new IllegalArgumentException("HDF5: \"" + name + "\" already exists");
            children.put(name, d);
            return d;
        }

        private static void checkName(String name) {
            if (name == null || name.isEmpty() || name.contains("/") || name.equals(".")) {
                throw new IllegalArgumentException("HDF5: invalid link name \"" + name + "\"");
            }
        }

        @Override
        int headerSize() {
            int n = LINK_INFO_SIZE + MSG_HEAD + GROUP_INFO_SIZE + MSG_HEAD;
            for (String name : children.keySet()) n += MSG_HEAD + linkSize(name);
            return n + attributesSize(attributes) + OH_OVERHEAD;
        }

        /** The whole file. Not thread-safe: build and write one file on one thread. */
        public byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                write(out);
            } catch (IOException e) {
                throw new IllegalStateException(e); // cannot happen with a byte array
            }
            return out.toByteArray();
        }

        /**
         * Writes the whole file, this group being the root.
         * Not thread-safe: build and write one file on one thread.
         */
        public void write(OutputStream out) throws IOException {
            List<Node> order = new ArrayList<>();
            collect(this, order);
            long pos = SUPERBLOCK_SIZE;
            for (Node n : order) {
                n.address = pos;
                pos += n.headerSize();
                if (n instanceof Dataset d) {
                    d.dataAddress = pos;
                    pos += d.raw.length;
                }
            }
            long end = pos;
            ByteBuffer sb = ByteBuffer.allocate(SUPERBLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            sb.put(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
            sb.put((byte) 2).put((byte) 8).put((byte) 8).put((byte) 0);
            sb.putLong(0).putLong(UNDEFINED).putLong(end).putLong(address);
            sb.putInt(lookup3(sb.array(), 0, SUPERBLOCK_SIZE - 4));
            out.write(sb.array());
            for (Node n : order) {
                out.write(header(n));
                if (n instanceof Dataset d) out.write(d.raw);
            }
        }

        private static void collect(Node n, List<Node> order) {
            order.add(n);
            if (n instanceof Group g) for (Node c : g.children.values()) collect(c, order);
        }
    }

    enum Type { FLOAT32, FLOAT64, INT64, INT8 }

    /** A contiguous dataset. */
    public static final class Dataset extends Node {
        final Type type;
        final int[] shape;
        final byte[] raw;
        final int count;
        long dataAddress;

        Dataset(Type type, int[] shape, byte[] raw, int count) {
            this.type = type;
            this.shape = shape.clone();
            this.raw = raw;
            this.count = count;
        }

        @Override
        int headerSize() {
            return MSG_HEAD + dataspaceSize(shape.length) + MSG_HEAD + datatypeSize(type) + MSG_HEAD + FILL_SIZE
                    + MSG_HEAD + LAYOUT_SIZE + attributesSize(attributes) + OH_OVERHEAD;
        }
    }

    // ---------------------------------------------------------------- encoding

    private static final int SUPERBLOCK_SIZE = 48;
    /** "OHDR", version, flags, 4-byte chunk size, and the trailing checksum. */
    private static final int OH_OVERHEAD = 4 + 1 + 1 + 4 + 4;
    /** Message type (1), size (2), flags (1). */
    private static final int MSG_HEAD = 4;
    private static final int LINK_INFO_SIZE = 18, GROUP_INFO_SIZE = 2, FILL_SIZE = 2, LAYOUT_SIZE = 18;

    private static int linkSize(String name) {
        int len = utf8(name).length;
        return 3 + (len > 255 ? 2 : 1) + len + 8; // version, flags, charset, name length, name, address
    }

    private static int dataspaceSize(int rank) { return 4 + 8 * rank; }

    private static int datatypeSize(Type t) { return t == Type.INT64 || t == Type.INT8 ? 8 + 4 : 8 + 12; }

    private static int stringTypeSize() { return 8; }

    private static int attributesSize(Map<String, String> attributes) {
        int n = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) n += MSG_HEAD + attributeSize(e.getKey(), e.getValue());
        return n;
    }

    private static int attributeSize(String name, String value) {
        return 1 + 1 + 2 + 2 + 2 + 1 + utf8(name).length + 1 + stringTypeSize() + dataspaceSize(0)
                + Math.max(1, utf8(value).length);
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static byte[] header(Node n) {
        int size = n.headerSize();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'O', 'H', 'D', 'R'}).put((byte) 2).put((byte) 2); // flags: chunk #0 size in 4 bytes
        b.putInt(size - OH_OVERHEAD);
        if (n instanceof Group g) {
            message(b, 0x02, LINK_INFO_SIZE);
            b.put((byte) 0).put((byte) 0).putLong(UNDEFINED).putLong(UNDEFINED); // compact: no heap, no index
            message(b, 0x0A, GROUP_INFO_SIZE);
            b.put((byte) 0).put((byte) 0);
            for (Map.Entry<String, Node> e : g.children.entrySet()) {
                byte[] name = utf8(e.getKey());
                message(b, 0x06, linkSize(e.getKey()));
                boolean wide = name.length > 255;
                b.put((byte) 1).put((byte) ((wide ? 1 : 0) | 0x10)); // version 1; name charset field present
                b.put((byte) 1); // UTF-8
                if (wide) b.putShort((short) name.length); else b.put((byte) name.length);
                b.put(name).putLong(e.getValue().address);
            }
        } else {
            Dataset d = (Dataset) n;
            dataspace(b, d.shape, true);
            message(b, 0x03, datatypeSize(d.type), 1); // constant
            datatype(b, d.type);
            message(b, 0x05, FILL_SIZE, 1);
            b.put((byte) 3).put((byte) 0x0A); // late allocation, fill value written if set, none set
            message(b, 0x08, LAYOUT_SIZE);
            b.put((byte) 3).put((byte) 1).putLong(d.dataAddress).putLong(d.raw.length);
        }
        for (Map.Entry<String, String> e : n.attributes.entrySet()) {
            byte[] name = utf8(e.getKey());
            byte[] value = utf8(e.getValue());
            int valueSize = Math.max(1, value.length);
            message(b, 0x0C, attributeSize(e.getKey(), e.getValue()));
            b.put((byte) 3).put((byte) 0).putShort((short) (name.length + 1)).putShort((short) stringTypeSize())
                    .putShort((short) dataspaceSize(0)).put((byte) 1);
            b.put(name).put((byte) 0);
            // Fixed-length string, null-padded, UTF-8: class 3, version 1.
            b.put((byte) 0x13).put((byte) (0x01 | 0x10)).put((byte) 0).put((byte) 0).putInt(valueSize);
            b.put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // scalar dataspace
            b.put(value);
            if (value.length == 0) b.put((byte) 0);
        }
        if (b.position() != size - 4) throw new IllegalStateException("HDF5 header size mismatch");
        b.putInt(lookup3(b.array(), 0, size - 4));
        return b.array();
    }

    private static void message(ByteBuffer b, int type, int size) { message(b, type, size, 0); }

    private static void message(ByteBuffer b, int type, int size, int flags) {
        b.put((byte) type).putShort((short) size).put((byte) flags);
    }

    private static void dataspace(ByteBuffer b, int[] shape, boolean withHead) {
        if (withHead) message(b, 0x01, dataspaceSize(shape.length));
        b.put((byte) 2).put((byte) shape.length).put((byte) 0).put((byte) (shape.length == 0 ? 0 : 1));
        for (int s : shape) b.putLong(s);
    }

    private static void datatype(ByteBuffer b, Type t) {
        switch (t) {
            case FLOAT32 -> {
                // IEEE little-endian: class 1 version 1; mantissa normalised (bit 5); sign at bit 31.
                b.put((byte) 0x11).put((byte) 0x20).put((byte) 31).put((byte) 0).putInt(4);
                b.putShort((short) 0).putShort((short) 32).put((byte) 23).put((byte) 8).put((byte) 0).put((byte) 23)
                        .putInt(127);
            }
            case FLOAT64 -> {
                b.put((byte) 0x11).put((byte) 0x20).put((byte) 63).put((byte) 0).putInt(8);
                b.putShort((short) 0).putShort((short) 64).put((byte) 52).put((byte) 11).put((byte) 0).put((byte) 52)
                        .putInt(1023);
            }
            case INT64 -> {
                // Fixed point, class 0 version 1, little-endian, signed (bit 3).
                b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(8);
                b.putShort((short) 0).putShort((short) 64);
            }
            case INT8 -> {
                // Fixed point, class 0 version 1, signed (bit 3), one byte.
                b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(1);
                b.putShort((short) 0).putShort((short) 8);
            }
        }
    }

    /** Bob Jenkins' lookup3 {@code hashlittle} with initial value 0: HDF5's metadata checksum. */
    static int lookup3(byte[] k, int offset, int length) {
        int a, b, c;
        a = b = c = 0xdeadbeef + length;
        int i = offset;
        while (length > 12) {
            a += le(k, i);
            b += le(k, i + 4);
            c += le(k, i + 8);
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            length -= 12;
            i += 12;
        }
        if (length == 0) return c;
        int[] w = new int[3];
        for (int j = 0; j < length; j++) w[j / 4] += (k[i + j] & 0xff) << (8 * (j % 4));
        a += w[0];
        b += w[1];
        c += w[2];
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    private static int le(byte[] k, int i) {
        return (k[i] & 0xff) | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
    }
}
