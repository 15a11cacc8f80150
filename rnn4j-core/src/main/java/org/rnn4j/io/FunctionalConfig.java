package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.CallArguments;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.attention.BaseAttention;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Merge;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.models.Functional;
import org.rnn4j.models.NestedModel;
import org.rnn4j.tensor.Shapes;

/**
 * Functional model configs ({@code "class_name": "Functional"} or {@code "Model"}), both ways. Reads the Keras 2 /
 * TensorFlow.js form, where each layer lists its calls as {@code inbound_nodes: [[[layer, node, tensor, {}], ...]]}
 * (an RNN's initial states are extra inbound tensors of its call), and Keras 3's, where each call is
 * {@code {"args": [...], "kwargs": {...}}} holding {@code __keras_tensor__} objects with a {@code keras_history}
 * (initial states under {@code kwargs.initial_state}). Writes Keras 3's form. Registered with {@link ModelConfig}.
 *
 * <pre>{@code
 * Functional model = (Functional) ModelConfig.fromJson(json);   // {"class_name": "Functional", ...}
 * ObjectNode config = FunctionalConfig.toJson(model);
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class FunctionalConfig {
    private FunctionalConfig() {}

    // ---------------------------------------------------------------- reading

    /** Keras's {@code Functional.from_config}: creates the layers, then replays their calls in dependency order. */
    static Functional read(JsonNode config, JsonNode root, KerasVersion version) {
        if (config == null || !config.isObject() || !config.path("layers").isArray()) {
            throw new ModelFormatException("Functional config has no \"layers\" list");
        }
        String modelName = config.path("name").isTextual() ? config.get("name").asText() : null;
        Map<String, Layer> layers = new HashMap<>();
        // Per layer, the outputs of each of its calls in this model, in order (the node index of the config).
        Map<String, List<KerasTensor[]>> calls = new HashMap<>();
        List<PendingCall> pending = new ArrayList<>();
        for (JsonNode spec : config.get("layers")) {
            String cls = spec.path("class_name").asText("");
            String name = spec.path("name").isTextual() ? spec.get("name").asText() : spec.path("config").path("name").asText(null);
            if (name == null) throw new ModelFormatException("A layer of the functional config has no \"name\"");
            if (layers.containsKey(name)) throw new ModelFormatException("The layer name \"" + name + "\" is used twice in the config");
            Layer layer;
            List<KerasTensor[]> outs = new ArrayList<>();
            if (cls.equals("InputLayer")) {
                Input in = input(new LayerConfig(cls, spec.get("config"), version), name);
                layer = in.layer();
                outs.add(new KerasTensor[] {in});
            } else if ((cls.equals("Functional") || cls.equals("Model")) && spec.path("config").path("layers").isArray()) {
                // A functional model used as a layer: built from its own config, then called like a layer.
                layer = read(spec.get("config"), spec, version).asLayer();
                layer.name(name);
                JsonNode nodes = spec.path("inbound_nodes");
                for (int i = 0; i < nodes.size(); i++) pending.add(new PendingCall(layer, i, nodes.get(i)));
            } else {
                layer = LayerRegistry.create(spec, version);
                layer.name(name);
                JsonNode nodes = spec.path("inbound_nodes");
                for (int i = 0; i < nodes.size(); i++) pending.add(new PendingCall(layer, i, nodes.get(i)));
            }
            layers.put(name, layer);
            calls.put(name, outs);
        }
        // Replay calls whose inputs exist; a call of a layer waits for its earlier calls (node indices stay in order).
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (int p = 0; p < pending.size(); p++) {
                PendingCall c = pending.get(p);
                if (calls.get(c.layer.name()).size() != c.index) continue;
                List<KerasTensor> inputs = resolve(c, calls);
                if (inputs == null) continue;
                KerasTensor[] outs;
                try {
                    outs = c.layer.applyAll(inputs.toArray(new KerasTensor[0]));
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException("Layer \"" + c.layer.name() + "\" of the functional config: " + e.getMessage());
                }
                calls.get(c.layer.name()).add(outs);
                pending.remove(p--);
                progress = true;
            }
            if (!progress) {
                PendingCall c = pending.get(0);
                throw new ModelFormatException("Functional config: the call " + c.index + " of layer \"" + c.layer.name()
                        + "\" needs tensors that no other layer produces (" + c.spec + ")");
            }
        }
        List<KerasTensor> ins = tensors(config.get("input_layers"), calls, "input_layers");
        List<KerasTensor> outs = tensors(config.get("output_layers"), calls, "output_layers");
        try {
            return new Functional(ins, outs, modelName);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("Functional config: " + e.getMessage());
        }
    }

    private record PendingCall(Layer layer, int index, JsonNode spec) {}

    /** The tensors a call receives, in order; null while one of them does not exist yet. */
    private static List<KerasTensor> resolve(PendingCall c, Map<String, List<KerasTensor[]>> calls) {
        List<JsonNode> refs = new ArrayList<>();
        if (c.spec.isArray()) {
            // Keras 2 / TensorFlow.js: [[layer, node, tensor, kwargs], ...].
            for (JsonNode ref : c.spec) refs.add(ref);
            // Keras 2 repeats a call's non-tensor arguments (use_causal_mask) in every inbound entry's kwargs.
            for (JsonNode ref : c.spec) if (ref.isArray() && ref.size() > 3) applyCallKwargs(c.layer, ref.get(3));
            // tf.keras may instead keep an RNN's states in the kwargs: {"initial_state": [[layer, node, tensor], ...]}.
            for (JsonNode ref : c.spec) {
                JsonNode states = ref.isArray() && ref.size() > 3 ? ref.get(3).get("initial_state") : null;
                if (states == null || states.isNull()) continue;
                if (!(c.layer instanceof RNN)) {
                    throw new ModelFormatException("Layer \"" + c.layer.name() + "\" is given an initial_state but is not recurrent");
                }
                for (JsonNode s : states) refs.add(s);
            }
        } else if (c.spec.isObject()) {
            // Keras 3: {"args": [...], "kwargs": {...}}; tensors may sit in nested lists (a merge layer's inputs).
            collectKeras3(c.spec.get("args"), refs);
            JsonNode kwargs = c.spec.path("kwargs");
            applyCallKwargs(c.layer, kwargs);
            var it = kwargs.fields();
            while (it.hasNext()) {
                var e = it.next();
                List<JsonNode> found = new ArrayList<>();
                collectKeras3(e.getValue(), found);
                if (found.isEmpty()) continue;
                if (!e.getKey().equals("initial_state") || !(c.layer instanceof RNN)) {
                    throw new ModelFormatException("Layer \"" + c.layer.name() + "\" of the functional config is called with a "
                            + "tensor for \"" + e.getKey() + "\", which rnn4j does not support (only an RNN's initial_state)");
                }
                refs.addAll(found);
            }
        } else {
            throw new ModelFormatException("Layer \"" + c.layer.name() + "\": an inbound node must be a list or an object, got " + c.spec);
        }
        List<KerasTensor> out = new ArrayList<>();
        for (JsonNode ref : refs) {
            if (!ref.isArray() || ref.size() < 3 || !ref.get(0).isTextual()) {
                throw new ModelFormatException("Layer \"" + c.layer.name() + "\": an inbound tensor must be [layer, node, tensor], got "
                        + ref);
            }
            List<KerasTensor[]> produced = calls.get(ref.get(0).asText());
            if (produced == null) {
                throw new ModelFormatException("Layer \"" + c.layer.name() + "\" is called on layer \"" + ref.get(0).asText()
                        + "\", which the config does not define");
            }
            int node = ref.get(1).asInt(), tensor = ref.get(2).asInt();
            if (node >= produced.size()) return null;
            KerasTensor[] ts = produced.get(node);
            if (tensor < 0 || tensor >= ts.length) {
                throw new ModelFormatException("Layer \"" + c.layer.name() + "\" wants output " + tensor + " of layer \""
                        + ref.get(0).asText() + "\", which has " + ts.length + " output(s)");
            }
            out.add(ts[tensor]);
        }
        return out;
    }

    /** Boolean call arguments a layer keeps ({@code use_causal_mask}, {@code return_attention_scores}). */
    private static void applyCallKwargs(Layer layer, JsonNode kwargs) {
        if (!(layer instanceof CallArguments attention) || kwargs == null || !kwargs.isObject()) return;
        var it = kwargs.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().isBoolean()) attention.applyCallKwarg(e.getKey(), e.getValue().asBoolean());
        }
    }

    /** The {@code keras_history} of every {@code __keras_tensor__} in a Keras 3 argument, depth first. */
    private static void collectKeras3(JsonNode v, List<JsonNode> into) {
        if (v == null) return;
        if (v.isArray()) {
            for (JsonNode e : v) collectKeras3(e, into);
        } else if (v.isObject()) {
            if ("__keras_tensor__".equals(v.path("class_name").asText())) {
                into.add(v.path("config").get("keras_history"));
            } else {
                for (JsonNode e : v) collectKeras3(e, into);
            }
        }
    }

    /** {@code input_layers} / {@code output_layers}: a list of {@code [layer, node, tensor]}, or one such triple. */
    private static List<KerasTensor> tensors(JsonNode refs, Map<String, List<KerasTensor[]>> calls, String what) {
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            throw new ModelFormatException("Functional config has no \"" + what + "\" list");
        }
        List<JsonNode> list = new ArrayList<>();
        if (refs.get(0).isTextual()) list.add(refs); else refs.forEach(list::add);
        List<KerasTensor> out = new ArrayList<>();
        for (JsonNode r : list) {
            List<KerasTensor[]> produced = r.isArray() && r.size() >= 3 ? calls.get(r.get(0).asText()) : null;
            if (produced == null || r.get(1).asInt() >= produced.size() || r.get(2).asInt() >= produced.get(r.get(1).asInt()).length) {
                throw new ModelFormatException("Functional config: \"" + what + "\" refers to " + r + ", which no layer call produces");
            }
            out.add(produced.get(r.get(1).asInt())[r.get(2).asInt()]);
        }
        return out;
    }

    /** An {@code InputLayer}: {@code batch_shape} (Keras 3), {@code batch_input_shape}, or {@code shape}; None allowed. */
    private static Input input(LayerConfig c, String name) {
        if (c.getBool("sparse", false) || c.getBool("ragged", false)) throw c.error("sparse and ragged inputs are not supported");
        int[] bs = c.getShape("batch_shape", "batch_input_shape");
        if (bs == null) {
            int[] s = c.getShape("shape", "input_shape");
            if (s == null) throw c.error("needs \"batch_shape\" or \"shape\"");
            bs = Shapes.withBatch(Shapes.NONE, s);
        }
        int[] rest = Shapes.dropBatch(bs);
        Input in = bs[0] > 0 ? Input.withBatch(bs[0], rest) : new Input(rest);
        return in.name(name);
    }

    // ---------------------------------------------------------------- writing

    /**
     * The model's config as Keras 3 writes it ({@code model.to_json()}).
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static ObjectNode toJson(Functional model) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", true);
        List<Object> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            Map<String, Object> entry;
            List<Object> nodes = new ArrayList<>();
            if (l instanceof InputLayer in) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("batch_shape", shapeList(in.batchShape()));
                c.put("dtype", "float32");
                c.put("sparse", false);
                c.put("name", l.name());
                entry = new LinkedHashMap<>();
                entry.put("module", "keras.layers");
                entry.put("class_name", "InputLayer");
                entry.put("config", c);
                entry.put("registered_name", null);
            } else {
                if (l instanceof NestedModel nested) {
                    entry = ModelConfig.mapper().convertValue(toJson(nested.model()),
                            new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
                } else {
                    entry = new LinkedHashMap<>(ModelConfig.serializeLayer(l));
                }
                for (Node n : l.inboundNodes()) if (model.contains(n)) nodes.add(callConfig(model, n));
            }
            entry.put("name", l.name());
            entry.put("inbound_nodes", nodes);
            layers.add(entry);
        }
        cfg.put("layers", layers);
        cfg.put("input_layers", model.tensorRefs(model.inputs()));
        cfg.put("output_layers", model.tensorRefs(model.outputs()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", "keras.src.models.functional");
        out.put("class_name", "Functional");
        out.put("config", cfg);
        out.put("registered_name", "Functional");
        return ModelConfig.mapper().valueToTree(out);
    }

    /**
     * The Keras 2 / TensorFlow.js form: {@code "class_name": "Model"}, each call a list of
     * {@code [layer, node, tensor, {}]} with an RNN's initial states as extra tensors. Otherwise as {@link #toJson}
     * (module and build config are for the writer to drop, as {@link Tfjs} does).
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static ObjectNode toKeras2Json(Functional model) {
        ObjectNode root = toJson(model);
        root.put("class_name", "Model");
        ObjectNode cfg = (ObjectNode) root.get("config");
        int i = 0;
        for (JsonNode entry : cfg.get("layers")) {
            Layer l = model.layers().get(i++);
            ((ObjectNode) entry).set("inbound_nodes", ModelConfig.mapper().valueToTree(model.inboundNodesConfig(l)));
            if (l instanceof NestedModel nested) {
                ((ObjectNode) entry).put("class_name", "Model");
                ((ObjectNode) entry).set("config", toKeras2Json(nested.model()).get("config"));
            }
        }
        return root;
    }

    /** One call as Keras 3's {@code {"args": [...], "kwargs": {...}}}. */
    private static Map<String, Object> callConfig(Functional model, Node n) {
        List<KerasTensor> ins = n.inputs();
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (n.layer() instanceof CallArguments withArguments) kwargs.putAll(withArguments.callKwargs());
        if (n.layer() instanceof Merge || n.layer() instanceof Concatenate || n.layer() instanceof BaseAttention) {
            // Merge layers take their inputs as one list.
            List<Object> list = new ArrayList<>();
            for (KerasTensor t : ins) list.add(tensorConfig(model, t));
            args.add(list);
        } else {
            args.add(tensorConfig(model, ins.get(0)));
            if (ins.size() > 1 && n.layer() instanceof RNN) {
                List<Object> states = new ArrayList<>();
                for (int i = 1; i < ins.size(); i++) states.add(tensorConfig(model, ins.get(i)));
                kwargs.put("initial_state", states);
            } else {
                for (int i = 1; i < ins.size(); i++) args.add(tensorConfig(model, ins.get(i)));
            }
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("args", args);
        call.put("kwargs", kwargs);
        return call;
    }

    private static Map<String, Object> tensorConfig(Functional model, KerasTensor t) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("shape", shapeList(t.shape()));
        c.put("dtype", "float32");
        c.put("keras_history", List.of(t.layer().name(), model.modelNodeIndex(t.node()), t.tensorIndex()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", "__keras_tensor__");
        m.put("config", c);
        return m;
    }

    private static List<Integer> shapeList(int[] shape) {
        List<Integer> out = new ArrayList<>();
        for (int d : shape) out.add(d < 0 ? null : d);
        return out;
    }
}
