package org.rnn4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.tensor.Tensor;

/** Reads a reference case of {@code testdata/fixtures/keras} (schema in its README) into tensors. */
public final class Fixture {
    public final JsonNode json;

    private Fixture(JsonNode json) { this.json = json; }

    public static Fixture load(String caseName) {
        try {
            return new Fixture(new ObjectMapper().readTree(new File("../testdata/fixtures/keras/" + caseName + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code {"shape": [...], "data": [...]}} node as a tensor; values parsed as float32. */
    public static Tensor tensor(JsonNode t) {
        JsonNode s = t.get("shape"), d = t.get("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        float[] data = new float[d.size()];
        for (int i = 0; i < data.length; i++) data[i] = Float.parseFloat(d.get(i).asText());
        return Tensor.of(data, shape);
    }

    public static List<Tensor> tensors(JsonNode array) {
        List<Tensor> out = new ArrayList<>();
        for (JsonNode t : array) out.add(tensor(t));
        return out;
    }

    public Tensor[] inputs() { return tensors(json.get("inputs")).toArray(new Tensor[0]); }

    public Tensor[] targets() { return tensors(json.get("targets")).toArray(new Tensor[0]); }

    public List<Tensor> weights() { return tensors(json.get("weights")); }

    /** The given lines joined by newlines. */
    public String text(String field) {
        List<String> lines = new ArrayList<>();
        for (JsonNode l : json.get(field)) lines.add(l.asText());
        return String.join("\n", lines);
    }

    /** Asserts {@code |got - want| <= atol + rtol |want|} elementwise, naming what differs. */
    public static void assertClose(String what, Tensor want, Tensor got, double atol, double rtol) {
        if (!java.util.Arrays.equals(want.shape(), got.shape())) {
            throw new AssertionError(what + ": shape " + java.util.Arrays.toString(got.shape()) + ", expected "
                    + java.util.Arrays.toString(want.shape()));
        }
        float[] w = want.data(), g = got.data();
        for (int i = 0; i < w.length; i++) {
            if (!(Math.abs(g[i] - w[i]) <= atol + rtol * Math.abs(w[i]))) {
                throw new AssertionError(what + "[" + i + "] = " + g[i] + ", expected " + w[i]);
            }
        }
    }

    public static void assertClose(String what, double want, double got, double atol, double rtol) {
        if (!(Math.abs(got - want) <= atol + rtol * Math.abs(want))) throw new AssertionError(what + " = " + got + ", expected " + want);
    }
}
