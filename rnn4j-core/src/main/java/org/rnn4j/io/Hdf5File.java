package org.rnn4j.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.rnn4j.tensor.Tensor;

/**
 * A read-only HDF5 file (through jHDF) treated as untrusted input: every failure of the parser, whatever its type
 * ({@code HdfException}, {@code BufferUnderflowException}, a {@code NegativeArraySizeException} from a forged size, a
 * {@code StackOverflowError} from a cyclic structure), becomes one {@link ModelFormatException} naming the file and
 * the object, and datasets whose claimed size could not come from a file this size are refused before reading.
 */
final class Hdf5File implements AutoCloseable {
    /** Deflate expands at most ~1032:1, so more elements than this per file byte means a forged header. */
    private static final long MAX_EXPANSION = 1100;
    /** 2^28 float32 values = 1 GiB: beyond any recurrent model rnn4j runs. */
    private static final long MAX_ELEMENTS = 1L << 28;

    private final HdfFile file;
    private final String what;
    private final long fileBytes;

    private Hdf5File(HdfFile file, String what, long fileBytes) {
        this.file = file;
        this.what = what;
        this.fileBytes = fileBytes;
    }

    static Hdf5File open(Path path) {
        String what = path.toString();
        try {
            long size = Files.size(path);
            try (var in = Files.newInputStream(path)) {
                byte[] head = in.readNBytes(64);
                checkMagic(head, what);
                checkLength(head, size, what);
            }
            LoadLimits limits = LoadLimits.current();
            if (size > limits.maxInflatedBytes()) {
                throw LoadLimits.exceeded(what, "an HDF5 file of (bytes)", size, limits.maxInflatedBytes(), "maxInflatedBytes");
            }
            KerasArchive.requireMemory(what, "the file", size);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path)) {
                Hdf5Trees.check(ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size), what);
            }
            return new Hdf5File(guard(what, "the file structure", () -> new HdfFile(path)), what, size);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + path);
        } catch (java.io.IOException e) {
            throw new ModelFormatException(what + ": cannot read: " + e.getMessage(), e);
        }
    }

    static Hdf5File open(byte[] bytes, String what) {
        checkMagic(bytes, what);
        checkLength(bytes, bytes.length, what);
        Hdf5Trees.check(ByteBuffer.wrap(bytes), what);
        return new Hdf5File(guard(what, "the file structure", () -> HdfFile.fromByteBuffer(ByteBuffer.wrap(bytes))), what,
                bytes.length);
    }

    static boolean isHdf5(byte[] head) {
        return head.length >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F';
    }

    private static void checkMagic(byte[] head, String what) {
        if (!isHdf5(head)) throw new ModelFormatException(what + ": not an HDF5 file (no \\x89HDF signature)");
    }

    /**
     * A truncated file is refused up front: the superblock records the end-of-file address (version 0: at byte 40,
     * version 1: 44, versions 2 and 3: 28, with 8-byte offsets), and parsers otherwise read on until they trip.
     */
    private static void checkLength(byte[] head, long size, String what) {
        if (head.length < 9) throw new ModelFormatException(what + ": truncated HDF5 file (" + head.length + " bytes)");
        int version = head[8] & 0xff;
        int at;
        switch (version) {
            case 0 -> at = 40;
            case 1 -> at = 44;
            case 2, 3 -> at = 28;
            default -> throw new ModelFormatException(what + ": unsupported HDF5 superblock version " + version);
        }
        if (version <= 1 && (head.length < 16 || head[13] != 8)) return; // not 8-byte offsets: leave it to the parser
        if (version >= 2 && head[9] != 8) return;
        if (head.length < at + 8) throw new ModelFormatException(what + ": truncated HDF5 file (" + size + " bytes)");
        long eof = java.nio.ByteBuffer.wrap(head, at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        if (eof > size) {
            throw new ModelFormatException(what + ": truncated HDF5 file: " + size + " bytes but its superblock says " + eof);
        }
    }

    String what() { return what; }

    /** Runs a parser call, turning anything it throws into a {@link ModelFormatException}. */
    static <T> T guard(String what, String object, Supplier<T> call) {
        try {
            return call.get();
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | AssertionError e) {
            // OutOfMemoryError: jHDF allocates what a (forged) header claims; nothing else holds that memory.
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (detail.length() > 200) detail = detail.substring(0, 200) + "...";
            throw new ModelFormatException(what + ": corrupt or unsupported HDF5 data in " + object + " (" + detail + ")", e);
        }
    }

    private <T> T guard(String object, Supplier<T> call) { return guard(what, object, call); }

    /** The node at a path, or null when absent. */
    Node node(String path) {
        return guard("\"" + path + "\"", () -> {
            Node n = file;
            for (String part : path.split("/")) {
                if (part.isEmpty()) continue;
                if (!(n instanceof Group g)) return null;
                n = g.getChildren().get(part);
                if (n == null) return null;
            }
            return n;
        });
    }

    Group group(String path) {
        Node n = node(path);
        return n instanceof Group g ? g : null;
    }

    /** Names of a group's members in file order (alphabetical for HDF5). */
    List<String> children(Group g) {
        return guard("\"" + g.getPath() + "\"", () -> new ArrayList<>(g.getChildren().keySet()));
    }

    /** A string attribute (scalar, or a one-element string array), or null. */
    String stringAttribute(Node node, String name) {
        return guard("attribute \"" + name + "\"", () -> {
            Attribute a = node.getAttribute(name);
            if (a == null) return null;
            Object v = a.getData();
            if (v instanceof String s) return s;
            if (v != null && v.getClass().isArray() && Array.getLength(v) == 1 && Array.get(v, 0) instanceof String s) return s;
            if (v instanceof byte[] b) return new String(b, java.nio.charset.StandardCharsets.UTF_8);
            throw new ModelFormatException(what + ": attribute \"" + name + "\" of \"" + node.getPath() + "\" is not a string");
        });
    }

    /**
     * A string-array attribute ({@code layer_names}, {@code weight_names}); an empty numeric array — what Keras
     * writes for a layer without weights — gives an empty list; null when absent.
     */
    List<String> stringsAttribute(Node node, String name) {
        return guard("attribute \"" + name + "\"", () -> {
            Attribute a = node.getAttribute(name);
            if (a == null) return null;
            if (a.getSize() > 1_000_000) throw new ModelFormatException(what + ": attribute \"" + name + "\" is too large");
            List<String> out = new ArrayList<>();
            if (a.isEmpty() || a.getSize() == 0) return out;
            Object v = a.getData();
            if (v == null || v.getClass().isArray() && Array.getLength(v) == 0) return out;
            if (v instanceof String s) {
                out.add(s);
            } else if (v != null && v.getClass().isArray()) {
                int n = Array.getLength(v);
                for (int i = 0; i < n; i++) {
                    Object e = Array.get(v, i);
                    if (e instanceof String s) out.add(s);
                    else if (e instanceof byte[] b) out.add(new String(b, java.nio.charset.StandardCharsets.UTF_8).trim());
                    else throw new ModelFormatException(what + ": attribute \"" + name + "\" of \"" + node.getPath()
                            + "\" holds " + (e == null ? "null" : e.getClass().getSimpleName()) + ", not strings");
                }
            } else {
                throw new ModelFormatException(what + ": attribute \"" + name + "\" of \"" + node.getPath() + "\" is not a string list");
            }
            return out;
        });
    }

    /** A numeric dataset as a float32 tensor (scalars have shape {@code []}). */
    Tensor tensor(Dataset d) {
        String object = "dataset \"" + d.getPath() + "\"";
        return guard(object, () -> {
            int[] dims = d.getDimensions();
            long count = 1;
            for (int x : dims) {
                if (x < 0) throw new ModelFormatException(what + ": " + object + " has a negative dimension");
                count *= x;
                if (count > MAX_ELEMENTS) break;
            }
            long max = Math.min(MAX_ELEMENTS, LoadLimits.current().maxWeightValues());
            if (count > max || count > Math.max(1024, fileBytes * MAX_EXPANSION)) {
                throw new ModelFormatException(what + ": " + object + " claims " + java.util.Arrays.toString(dims)
                        + " elements, more than a file of " + fileBytes + " bytes can hold");
            }
            Class<?> type = d.getJavaType();
            if (type != float.class && type != double.class && type != int.class && type != long.class
                    && type != short.class && type != byte.class && type != Float.class && type != Double.class
                    && type != Long.class && type != Integer.class) {
                throw new ModelFormatException(what + ": " + object + " holds " + type.getSimpleName() + ", not numbers");
            }
            Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
            float[] values = new float[(int) count];
            if (flat instanceof Number n) {
                if (count != 1) throw new ModelFormatException(what + ": " + object + " is a scalar with shape " + java.util.Arrays.toString(dims));
                values[0] = n.floatValue();
            } else {
                int len = Array.getLength(flat);
                if (len != count) throw new ModelFormatException(what + ": " + object + " has " + len + " values for shape "
                        + java.util.Arrays.toString(dims));
                if (flat instanceof float[] f) System.arraycopy(f, 0, values, 0, len);
                else if (flat instanceof double[] x) for (int i = 0; i < len; i++) values[i] = (float) x[i];
                else for (int i = 0; i < len; i++) values[i] = ((Number) Array.get(flat, i)).floatValue();
            }
            return Tensor.of(values, dims);
        });
    }

    /** A scalar or one-element numeric dataset as a long (optimizer iteration counts). */
    long scalarLong(Dataset d) {
        return guard("dataset \"" + d.getPath() + "\"", () -> {
            if (d.getSize() != 1) throw new ModelFormatException(what + ": dataset \"" + d.getPath() + "\" is not a scalar");
            Object v = d.isScalar() ? d.getData() : Array.get(d.getDataFlat(), 0);
            if (!(v instanceof Number n)) throw new ModelFormatException(what + ": dataset \"" + d.getPath() + "\" is not numeric");
            return n.longValue();
        });
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (RuntimeException e) {
            // closing a read-only file cannot lose data
        }
    }
}
