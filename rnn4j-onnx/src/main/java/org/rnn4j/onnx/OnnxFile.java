package org.rnn4j.onnx;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.onnx.proto.Onnx;

/**
 * Reads an {@code .onnx} file into its protobuf {@link Onnx.ModelProto}, bounded: the file size is capped, the
 * parser's nesting depth is limited, and every failure (a truncated or corrupt file) is a
 * {@link ModelFormatException} naming the file. Tensor payloads are checked later by {@link OnnxTensors}.
 */
final class OnnxFile {
    /** Largest model file read (protobuf's own limit is 2 GiB; weights past this belong in external data). */
    static final long MAX_FILE_BYTES = 1L << 30;
    /** Deepest nesting of messages (subgraphs in attributes); ONNX recurrent models need a handful. */
    private static final int MAX_DEPTH = 64;

    private OnnxFile() {}

    static Onnx.ModelProto read(Path path) {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new ModelFormatException(path + ": " + size + " bytes is larger than the " + MAX_FILE_BYTES
                        + " bytes an .onnx file may have here");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + path);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, path.toString());
    }

    static Onnx.ModelProto parse(byte[] bytes, String source) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(MAX_DEPTH);
            Onnx.ModelProto model = Onnx.ModelProto.parseFrom(in);
            if (!model.hasGraph()) throw new ModelFormatException(source + ": not an ONNX model (no graph)");
            return model;
        } catch (IOException e) {
            throw new ModelFormatException(source + ": not a readable ONNX model (truncated or corrupt protobuf: "
                    + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            if (e instanceof ModelFormatException m) throw m;
            throw new ModelFormatException(source + ": not a readable ONNX model: " + e, e);
        }
    }
}
