package org.rnn4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Commands print to picocli's writer ({@code spec.commandLine().getOut()}) so tests can capture them; the training
 * progress bar needs a {@link PrintStream}. For the real standard output this gives {@code System.out} itself, so
 * the bar can tell it is a terminal and animate; for any other writer, a stream that writes into it.
 */
final class Streams {
    private static final Map<PrintWriter, PrintStream> ORIGINS = Collections.synchronizedMap(new WeakHashMap<>());

    private Streams() {}

    /** A writer over {@code stream}, remembered as its origin. */
    static PrintWriter writer(PrintStream stream) {
        PrintWriter w = new PrintWriter(stream, true);
        ORIGINS.put(w, stream);
        return w;
    }

    static PrintStream printStream(PrintWriter writer) {
        PrintStream origin = ORIGINS.get(writer);
        if (origin != null) return origin;
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

            @Override
            public void write(int b) { buffer.write(b); }

            @Override
            public void write(byte[] b, int off, int len) { buffer.write(b, off, len); }

            @Override
            public void flush() {
                writer.write(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
                writer.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
