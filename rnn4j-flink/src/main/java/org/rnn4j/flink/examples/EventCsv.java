package org.rnn4j.flink.examples;

import org.rnn4j.flink.Prediction;
import org.rnn4j.flink.StreamEvent;

/**
 * The example job's text formats, one record per line. An event: {@code key,seq,x1,x2,...}; a reset before the
 * event: {@code key,seq,reset,x1,x2,...}; a reset alone: {@code key,seq,reset}. A prediction:
 * {@code key,seq,steps,modelVersion,y1,y2,...}. Floats are written with {@link Float#toString}, which reads back to
 * the same float.
 *
 * <p>Thread-safe: stateless.
 */
public final class EventCsv {
    private EventCsv() {}

    /** Parses an event line; a bad line is an error naming it. Thread-safe. */
    public static StreamEvent parse(String line) {
        String[] f = line.trim().split(",");
        if (f.length < 3) {
            throw new IllegalArgumentException("event line \"" + line + "\": expected key,seq,x1[,x2...] or key,seq,reset[,x1...]");
        }
        try {
            long seq = Long.parseLong(f[1].trim());
            boolean reset = f[2].trim().equals("reset");
            int from = reset ? 3 : 2;
            float[] x = null;
            if (f.length > from) {
                x = new float[f.length - from];
                for (int i = 0; i < x.length; i++) x[i] = Float.parseFloat(f[from + i].trim());
            }
            return new StreamEvent(f[0].trim(), seq, x, reset);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("event line \"" + line + "\": " + e.getMessage(), e);
        }
    }

    /** An event as a line. Thread-safe. */
    public static String format(StreamEvent e) {
        StringBuilder b = new StringBuilder().append(e.key).append(',').append(e.seq);
        if (e.reset) b.append(",reset");
        if (e.features != null) for (float v : e.features) b.append(',').append(v);
        return b.toString();
    }

    /** A prediction as a line. Thread-safe. */
    public static String format(Prediction p) {
        StringBuilder b = new StringBuilder().append(p.key).append(',').append(p.seq).append(',').append(p.steps).append(',').append(p.modelVersion);
        for (float v : p.output) b.append(',').append(v);
        return b.toString();
    }

    /** Parses a prediction line written by {@link #format(Prediction)}. Thread-safe. */
    public static Prediction parsePrediction(String line) {
        String[] f = line.trim().split(",");
        if (f.length < 5) throw new IllegalArgumentException("prediction line \"" + line + "\": expected key,seq,steps,modelVersion,y1[,y2...]");
        float[] y = new float[f.length - 4];
        for (int i = 0; i < y.length; i++) y[i] = Float.parseFloat(f[4 + i]);
        return new Prediction(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), y);
    }
}
