package org.rnn4j.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.onnx.proto.Onnx;
import org.rnn4j.onnx.proto.Onnx.TensorProto;

/**
 * Decodes ONNX {@link TensorProto}s into {@link Const}s and encodes float and int64 arrays back. Every size is
 * checked against the data actually present before anything is allocated, so a tensor that declares huge dims
 * without the bytes for them is refused, never an out-of-memory; external data must lie inside the model's folder.
 */
final class OnnxTensors {
    /** Most elements one tensor may hold (256 Mi floats = 1 GiB). */
    static final long MAX_ELEMENTS = 1L << 28;

    private OnnxTensors() {}

    /** The element count of dims, refusing negative dims and overflow. */
    static long count(long[] dims, String what) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new ModelFormatException(what + ": negative dimension " + d);
            if (d != 0 && n > MAX_ELEMENTS / d) {
                throw new ModelFormatException(what + ": declared shape " + java.util.Arrays.toString(dims)
                        + " holds more than " + MAX_ELEMENTS + " elements");
            }
            n *= d;
        }
        return n;
    }

    /**
     * @param modelDir  the folder of the model file, for external data (null: external data refused)
     */
    static Const decode(TensorProto t, String what, Path modelDir) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int n = (int) count(dims, what);
        int type = t.getDataType();
        ByteString raw = t.hasRawData() ? t.getRawData() : null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            raw = external(t, what, modelDir, (long) n * elementSize(type, what));
        }
        switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                float[] v = new float[n];
                if (raw != null) {
                    checkBytes(raw.size(), n, 4, what);
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                } else {
                    checkCount(t.getFloatDataCount(), n, what);
                    for (int i = 0; i < n; i++) v[i] = t.getFloatData(i);
                }
                return Const.ofFloats(dims, v);
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                float[] v = new float[n];
                if (raw != null) {
                    checkBytes(raw.size(), n, 8, what);
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) v[i] = (float) b.getDouble();
                } else {
                    checkCount(t.getDoubleDataCount(), n, what);
                    for (int i = 0; i < n; i++) v[i] = (float) t.getDoubleData(i);
                }
                return Const.ofFloats(dims, v);
            }
            case TensorProto.DataType.INT64_VALUE -> {
                long[] v = new long[n];
                if (raw != null) {
                    checkBytes(raw.size(), n, 8, what);
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                } else {
                    checkCount(t.getInt64DataCount(), n, what);
                    for (int i = 0; i < n; i++) v[i] = t.getInt64Data(i);
                }
                return Const.ofLongs(dims, v);
            }
            case TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE,
                 TensorProto.DataType.INT16_VALUE, TensorProto.DataType.BOOL_VALUE -> {
                long[] v = new long[n];
                if (raw != null) {
                    int size = elementSize(type, what);
                    checkBytes(raw.size(), n, size, what);
                    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (size) {
                            case 4 -> b.getInt();
                            case 2 -> b.getShort();
                            default -> type == TensorProto.DataType.UINT8_VALUE ? b.get() & 0xff : b.get();
                        };
                    }
                } else {
                    checkCount(t.getInt32DataCount(), n, what);
                    for (int i = 0; i < n; i++) v[i] = t.getInt32Data(i);
                }
                return Const.ofLongs(dims, v);
            }
            default -> throw new ModelFormatException(what + ": tensor element type " + typeName(type)
                    + " is not supported (float, double, int8/16/32/64, uint8, bool are)");
        }
    }

    static int elementSize(int type, String what) {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
            case TensorProto.DataType.INT16_VALUE -> 2;
            case TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE, TensorProto.DataType.BOOL_VALUE -> 1;
            default -> throw new ModelFormatException(what + ": tensor element type " + typeName(type)
                    + " is not supported (float, double, int8/16/32/64, uint8, bool are)");
        };
    }

    static String typeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name();
    }

    private static void checkBytes(int bytes, int n, int size, String what) {
        if ((long) n * size != bytes) {
            throw new ModelFormatException(what + ": its shape holds " + n + " elements (" + (long) n * size
                    + " bytes) but its raw data has " + bytes + " bytes");
        }
    }

    private static void checkCount(int got, int n, String what) {
        if (got != n) {
            throw new ModelFormatException(what + ": its shape holds " + n + " elements but it has " + got + " values");
        }
    }

    /** Reads external data: a file inside the model's folder (no absolute paths, no way out through .. or links). */
    private static ByteString external(TensorProto t, String what, Path modelDir, long expectedBytes) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (Onnx.StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), "offset", what);
                case "length" -> length = parseLong(e.getValue(), "length", what);
                default -> { }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new ModelFormatException(what + ": external data without a location");
        }
        if (modelDir == null) throw new ModelFormatException(what + ": external data, but the model has no folder");
        if (length < 0) length = expectedBytes;
        if (length != expectedBytes) {
            throw new ModelFormatException(what + ": external data length " + length + " does not match its shape ("
                    + expectedBytes + " bytes)");
        }
        try {
            Path dir = modelDir.toRealPath();
            Path file = dir.resolve(location).normalize();
            if (Path.of(location).isAbsolute() || !file.startsWith(dir)) {
                throw new ModelFormatException(what + ": external data location \"" + location
                        + "\" is outside the model's folder " + dir);
            }
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(what + ": external data file \"" + location + "\" does not exist in " + dir);
            }
            Path real = file.toRealPath();
            if (!real.startsWith(dir)) {
                throw new ModelFormatException(what + ": external data location \"" + location
                        + "\" leads outside the model's folder " + dir);
            }
            try (RandomAccessFile f = new RandomAccessFile(real.toFile(), "r")) {
                if (offset + length > f.length()) {
                    throw new ModelFormatException(what + ": external data \"" + location + "\" has " + f.length()
                            + " bytes, fewer than offset " + offset + " + length " + length);
                }
                byte[] b = new byte[(int) length];
                f.seek(offset);
                f.readFully(b);
                return ByteString.copyFrom(b);
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new ModelFormatException(what + ": cannot read external data \"" + location + "\": " + e.getMessage(), e);
        }
    }

    private static long parseLong(String s, String key, String what) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) throw new NumberFormatException("negative");
            return v;
        } catch (NumberFormatException e) {
            throw new ModelFormatException(what + ": external data " + key + " \"" + s + "\" is not a byte count");
        }
    }

    /** A float tensor for an initializer. */
    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    /** An int64 tensor (shapes, axes, indices). */
    static TensorProto longs(String name, long[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
        for (long v : values) t.addInt64Data(v);
        for (long d : dims) t.addDims(d);
        return t.build();
    }
}
