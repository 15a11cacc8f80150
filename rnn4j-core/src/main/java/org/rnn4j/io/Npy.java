package org.rnn4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.tensor.Tensor;

/**
 * NumPy's {@code .npy} files (format versions 1.0, 2.0 and 3.0), C order: float32, float64, and signed or unsigned
 * integers of 1 to 8 bytes, either byte order. Reading gives float32 tensors (what rnn4j computes with) or the raw
 * {@link NpyArray}; writing produces what {@code numpy.save} writes (version 1.0, or 2.0 for very long headers).
 *
 * <pre>{@code
 * Tensor x = Npy.read(Path.of("x.npy"));          // any supported dtype, as float32
 * Npy.write(Path.of("y.npy"), model.predict(x));   // float32, '<f4'
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent reads and writes are independent; concurrent
 * writes to one path are not coordinated (the last one wins). Do not write a tensor while it is being saved.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Headers longer than this are not NumPy's (it writes a few hundred bytes at most). */
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {}

    /** An array as stored: its dtype ({@code <f4}, {@code <i8}, ...), shape and values (float[], double[] or long[]). */
    public record NpyArray(String dtype, int[] shape, Object data) {
        /**
         * The values as float32 (integers and float64 are converted).
         * Thread-safe for readers: the array is not copied; do not write it meanwhile.
         */
        public float[] floats() {
            if (data instanceof float[] f) return f;
            if (data instanceof double[] d) {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                return f;
            }
            long[] l = (long[]) data;
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) f[i] = l[i];
            return f;
        }

        /** Thread-safe for readers: the array is not copied; do not write it meanwhile. */
        public Tensor toTensor() { return Tensor.of(floats(), shape.clone()); }
    }

    /**
     * Reads a {@code .npy} file as a float32 tensor.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Tensor read(Path path) {
        return readArray(path).toTensor();
    }

    /**
     * Reads a {@code .npy} file keeping its dtype.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static NpyArray readArray(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 64) {
                throw new ModelFormatException(path + ": " + size + " bytes is too large for a .npy array rnn4j can hold");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) { /* fill */ }
            return parse(buf.array(), path.toString());
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a {@code .npy} array from a stream (read to its end).
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static NpyArray readArray(InputStream in, String what) throws IOException {
        return parse(in.readAllBytes(), what);
    }

    /**
     * Parses the bytes of a {@code .npy} file; {@code what} names the file in error messages.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static NpyArray parse(byte[] bytes, String what) {
        if (bytes.length < 10) throw new ModelFormatException(what + ": not a .npy file (only " + bytes.length + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) throw new ModelFormatException(what + ": not a .npy file (no \\x93NUMPY magic string)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new ModelFormatException(what + ": truncated .npy header");
            headerLen = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new ModelFormatException(what + ": unsupported .npy format version " + major + "." + (bytes[7] & 0xff)
                    + " (expected 1.0, 2.0 or 3.0)");
        }
        if (headerLen > MAX_HEADER || start + headerLen > bytes.length) {
            throw new ModelFormatException(what + ": .npy header claims " + headerLen + " bytes but the file has "
                    + (bytes.length - start) + " after the preamble");
        }
        String header = new String(bytes, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, what);
        int dataStart = start + (int) headerLen;
        long count = 1;
        for (int d : h.shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) throw new ModelFormatException(what + ": shape " + shapeText(h.shape) + " is too large");
        }
        int itemSize = h.itemSize;
        long need = count * itemSize;
        if (need > bytes.length - dataStart) {
            throw new ModelFormatException(what + ": shape " + shapeText(h.shape) + " of " + h.descr + " needs " + need
                    + " data bytes but the file has " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).slice()
                .order(h.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int n = (int) count;
        Object values;
        switch (h.kind) {
            case 'f' -> {
                if (itemSize == 4) {
                    float[] f = new float[n];
                    data.asFloatBuffer().get(f);
                    values = f;
                } else {
                    double[] d = new double[n];
                    data.asDoubleBuffer().get(d);
                    values = d;
                }
            }
            case 'b' -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) l[i] = data.get(i) != 0 ? 1 : 0;
                values = l;
            }
            default -> {
                long[] l = new long[n];
                boolean unsigned = h.kind == 'u';
                for (int i = 0; i < n; i++) {
                    int off = i * itemSize;
                    l[i] = switch (itemSize) {
                        case 1 -> unsigned ? data.get(off) & 0xff : data.get(off);
                        case 2 -> unsigned ? data.getShort(off) & 0xffff : data.getShort(off);
                        case 4 -> unsigned ? data.getInt(off) & 0xffffffffL : data.getInt(off);
                        default -> data.getLong(off);
                    };
                }
                values = l;
            }
        }
        return new NpyArray(h.descr, h.shape, values);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a float32 tensor ({@code '<f4'}).
     * Thread-safe: no shared mutable state; concurrent saves to one path: the last wins.
     */
    public static void write(Path path, Tensor t) {
        write(path, t.data(), t.shape());
    }

    /**
     * Writes float32 values of a shape ({@code '<f4'}).
     * Thread-safe: no shared mutable state; concurrent saves to one path: the last wins.
     */
    public static void write(Path path, float[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        writeRaw(path, "<f4", shape, b.array());
    }

    /**
     * Writes float64 values of a shape ({@code '<f8'}).
     * Thread-safe: no shared mutable state; concurrent saves to one path: the last wins.
     */
    public static void write(Path path, double[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        writeRaw(path, "<f8", shape, b.array());
    }

    /**
     * Writes int64 values of a shape ({@code '<i8'}).
     * Thread-safe: no shared mutable state; concurrent saves to one path: the last wins.
     */
    public static void write(Path path, long[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        writeRaw(path, "<i8", shape, b.array());
    }

    /**
     * Writes int32 values of a shape ({@code '<i4'}).
     * Thread-safe: no shared mutable state; concurrent saves to one path: the last wins.
     */
    public static void write(Path path, int[] values, int... shape) {
        checkCount(values.length, shape);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        writeRaw(path, "<i4", shape, b.array());
    }

    private static void checkCount(int n, int[] shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("Npy.write: negative dimension in shape " + shapeText(shape));
            count *= d;
        }
        if (count != n) {
            throw new IllegalArgumentException("Npy.write: shape " + shapeText(shape) + " holds " + count + " values, got " + n);
        }
    }

    private static void writeRaw(Path path, String descr, int[] shape, byte[] data) {
        try {
            byte[] bytes = encode(descr, shape, data);
            AtomicFiles.write(path, out -> out.write(bytes));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** The bytes of a {@code .npy} file: NumPy's header, padded with spaces and a newline to a multiple of 64. */
    static byte[] encode(String descr, int[] shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        int pre = 10;
        int total = pre + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        boolean v2 = padded - pre > 0xffff;
        if (v2) {
            pre = 12;
            total = pre + dict.length() + 1;
            padded = (total + 63) / 64 * 64;
        }
        int headerLen = padded - pre;
        ByteBuffer b = ByteBuffer.allocate(padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) b.putInt(headerLen); else b.putShort((short) headerLen);
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = dict.length(); i < headerLen - 1; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        b.put(data);
        return b.array();
    }

    /** Python's tuple text: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    static String shapeText(int[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        return s.append(')').toString();
    }

    /** The header dict: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. */
    private record Header(String descr, char kind, int itemSize, boolean bigEndian, int[] shape) {
        static Header parse(String text, String what) {
            String t = text.strip();
            if (!t.startsWith("{") || !t.endsWith("}")) {
                throw new ModelFormatException(what + ": .npy header is not a Python dict: " + abbreviate(t));
            }
            String descr = null;
            Boolean fortran = null;
            int[] shape = null;
            Cursor c = new Cursor(t, 1, what);
            while (true) {
                c.skipSpaces();
                if (c.peek() == '}') break;
                String key = c.quoted();
                c.skipSpaces();
                c.expect(':');
                c.skipSpaces();
                switch (key) {
                    case "descr" -> descr = c.quoted();
                    case "fortran_order" -> fortran = c.bool();
                    case "shape" -> shape = c.tuple();
                    default -> throw new ModelFormatException(what + ": unexpected key '" + key + "' in .npy header");
                }
                c.skipSpaces();
                if (c.peek() == ',') c.pos++;
            }
            if (descr == null || fortran == null || shape == null) {
                throw new ModelFormatException(what + ": .npy header lacks 'descr', 'fortran_order' or 'shape': " + abbreviate(t));
            }
            if (fortran) {
                throw new ModelFormatException(what + ": Fortran-order arrays are not supported; save with "
                        + "numpy.save(path, numpy.ascontiguousarray(a))");
            }
            if (descr.length() < 3) throw new ModelFormatException(what + ": unsupported dtype '" + descr + "'");
            char order = descr.charAt(0), kind = descr.charAt(1);
            int size;
            try {
                size = Integer.parseInt(descr.substring(2));
            } catch (NumberFormatException e) {
                throw new ModelFormatException(what + ": unsupported dtype '" + descr + "'");
            }
            boolean ok = switch (kind) {
                case 'f' -> size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                default -> false;
            };
            if (!ok || (order != '<' && order != '>' && order != '|' && order != '=')) {
                throw new ModelFormatException(what + ": unsupported dtype '" + descr
                        + "' (supported: float32, float64, signed/unsigned integers, bool)");
            }
            if (order == '|' && size != 1) throw new ModelFormatException(what + ": dtype '" + descr + "' has no byte order");
            return new Header(descr, kind, size, order == '>', shape);
        }

        private static String abbreviate(String s) { return s.length() > 80 ? s.substring(0, 80) + "..." : s; }
    }

    private static final class Cursor {
        final String s;
        int pos;
        final String what;

        Cursor(String s, int pos, String what) { this.s = s; this.pos = pos; this.what = what; }

        char peek() {
            if (pos >= s.length()) throw fail("unexpected end");
            return s.charAt(pos);
        }

        void skipSpaces() { while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++; }

        void expect(char ch) {
            if (peek() != ch) throw fail("expected '" + ch + "' at position " + pos);
            pos++;
        }

        String quoted() {
            char q = peek();
            if (q != '\'' && q != '"') throw fail("expected a quoted key or string at position " + pos);
            int end = s.indexOf(q, pos + 1);
            if (end < 0) throw fail("unterminated string");
            String v = s.substring(pos + 1, end);
            pos = end + 1;
            return v;
        }

        boolean bool() {
            if (s.startsWith("True", pos)) { pos += 4; return true; }
            if (s.startsWith("False", pos)) { pos += 5; return false; }
            throw fail("expected True or False at position " + pos);
        }

        int[] tuple() {
            expect('(');
            List<Integer> dims = new ArrayList<>();
            while (true) {
                skipSpaces();
                if (peek() == ')') { pos++; break; }
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                if (pos == start) throw fail("expected a dimension at position " + pos);
                if (pos - start > 10) throw fail("dimension " + s.substring(start, pos) + " is too large");
                long d = Long.parseLong(s.substring(start, pos));
                if (d > Integer.MAX_VALUE) throw fail("dimension " + d + " is too large");
                dims.add((int) d);
                if (s.startsWith("L", pos)) pos++; // Python 2 longs: (3L, 4L)
                skipSpaces();
                if (peek() == ',') pos++;
            }
            if (dims.size() > 32) throw fail("more than 32 dimensions");
            int[] out = new int[dims.size()];
            for (int i = 0; i < out.length; i++) out[i] = dims.get(i);
            return out;
        }

        ModelFormatException fail(String msg) {
            return new ModelFormatException(what + ": malformed .npy header (" + msg + "): "
                    + (s.length() > 80 ? s.substring(0, 80) + "..." : s));
        }
    }
}
