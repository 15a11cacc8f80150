package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.VarianceScaling;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;

/**
 * Every option of every wrapped layer survives Bidirectional and TimeDistributed: in both copies, in training (the
 * regularizers' gradients, the constraints after a step), in summary() and through a save/load round trip.
 */
class WrapperOptionsTest {
    @TempDir Path dir;

    /**
     * Every driver and regularization option on a recurrent layer; dropout and the activity regularizer only
     * {@code withExtras} (off where weight gradients are compared).
     */
    private static <L extends RNN<L>> L everything(L l, boolean withExtras) {
        l.kernelRegularizer(Regularizer.l2(0.01)).recurrentRegularizer(Regularizer.l1(0.02))
                .biasRegularizer(Regularizer.l1l2(0.01, 0.03)).kernelConstraint(Constraint.maxNorm(2))
                .recurrentConstraint(Constraint.unitNorm()).biasConstraint(Constraint.nonNeg()).returnSequences(true);
        if (withExtras) l.activityRegularizer(Regularizer.l2(0.001));
        if (withExtras) l.dropout(0.1).recurrentDropout(0.2);
        return l;
    }

    static Stream<Arguments> recurrentLayers() {
        return Stream.of(
                Arguments.of("LSTM", (Supplier<RNN<?>>) () -> {
                    LSTM l = new LSTM(3).activation("relu").recurrentActivation("hard_sigmoid").unitForgetBias(false)
                            .kernelInitializer(new VarianceScaling(0.5, "fan_out", "uniform")).recurrentInitializer("identity")
                            .biasInitializer(Initializer.constant(0.1f));
                    return l;
                }),
                Arguments.of("GRU", (Supplier<RNN<?>>) () -> new GRU(3).resetAfter(false).recurrentActivation("hard_sigmoid")
                        .kernelInitializer("lecun_normal").biasInitializer(Initializer.constant(0.2f))),
                Arguments.of("SimpleRNN", (Supplier<RNN<?>>) () -> new SimpleRNN(3).activation("sigmoid")
                        .kernelInitializer("he_uniform").biasInitializer(Initializer.constant(0.3f))),
                Arguments.of("RNN(LSTMCell)", (Supplier<RNN<?>>) () -> RNN.of(new LSTMCell(3).recurrentActivation("hard_sigmoid")
                        .unitForgetBias(false).activation("relu"))));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Sequential bidirectional(RNN<?> inner, boolean regularized, boolean extras) {
        RNN r = inner;
        if (regularized) everything(r, extras);
        else r.returnSequences(true);
        Sequential m = new Sequential();
        m.add(new Bidirectional(inner, "concat").inputShape(4, 2));
        m.add(new TimeDistributed(new Dense(1)));
        m.compile(org.rnn4j.losses.Loss.get("mse"), new SGD(0.5));
        return m;
    }

    private static Tensor[] data() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        float[] x = new float[4 * 4 * 2], y = new float[4 * 4];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
        return new Tensor[] {Tensor.of(x, 4, 4, 2), Tensor.of(y, 4, 4, 1)};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentLayers")
    void bidirectionalCopiesKeepEveryOption(String kind, Supplier<RNN<?>> make) {
        Rnn4j.setRandomSeed(1);
        Sequential plain = bidirectional(make.get(), false, false);
        Rnn4j.setRandomSeed(1);
        Sequential regularized = bidirectional(make.get(), true, false);
        Bidirectional bi = (Bidirectional) regularized.layers().get(0);
        Bidirectional all = (Bidirectional) bidirectional(make.get(), true, true).layers().get(0);
        for (RNN<?> copy : List.of(all.forwardLayer(), all.backwardLayer())) {
            assertTrue(copy.dropout() == 0.1f && copy.recurrentDropout() == 0.2f, kind);
            assertEquals("L2{l2=0.01}", String.valueOf(copy.weightRegularizer("kernel")).replace("0.009999999776482582", "0.01"), kind);
            assertTrue(copy.weightRegularizer("recurrent_kernel") != null && copy.weightRegularizer("bias") != null, kind);
            assertTrue(copy.weightConstraint("kernel") != null && copy.weightConstraint("recurrent_kernel") != null
                    && copy.weightConstraint("bias") != null, kind);
            assertTrue(copy.activityRegularizer() != null, kind);
            assertEquals(all.forwardLayer().cell().config(), copy.cell().config(), kind + ": activations and initializers");
        }
        // Training: the kernel's gradient carries 2 * 0.01 * w in both copies (same weights, no dropout).
        regularized.setWeights(plain.getWeights());
        Tensor[] d = data();
        plain.computeGradients(new Tensor[] {d[0]}, new Tensor[] {d[1]}, true);
        regularized.computeGradients(new Tensor[] {d[0]}, new Tensor[] {d[1]}, true);
        for (int copy = 0; copy < 2; copy++) {
            int k = copy * bi.forwardLayer().weights().size(); // each copy's kernel first
            Weight a = plain.trainableWeights().get(k), b = regularized.trainableWeights().get(k);
            float[] w = a.value().data(), ga = a.grad().data(), gb = b.grad().data();
            for (int i = 0; i < w.length; i++) assertEquals(2 * 0.01 * w[i], gb[i] - ga[i], 1e-5, kind + " copy " + copy + "[" + i + "]");
        }
        // A step applies the constraints to both copies: biases non-negative, kernels' column norms at most 2.
        regularized.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(4).verbose(0));
        for (RNN<?> copy : List.of(bi.forwardLayer(), bi.backwardLayer())) {
            for (float v : copy.cell().inputBias().value().data()) assertTrue(v >= 0, kind + " bias " + v);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recurrentLayers")
    @SuppressWarnings({"rawtypes", "unchecked"})
    void bidirectionalOptionsSurviveSaveAndLoad(String kind, Supplier<RNN<?>> make) {
        Rnn4j.setRandomSeed(2);
        RNN inner = make.get();
        everything(inner, true).stateful(true);
        Sequential m = new Sequential();
        m.add(new Bidirectional(inner, "sum").batchInputShape(4, 4, 2));
        m.add(new TimeDistributed(new Dense(1)));
        m.compile(org.rnn4j.losses.Loss.get("mse"), new SGD(0.1));
        Path f = dir.resolve(kind.replaceAll("\\W", "") + ".keras");
        m.save(f);
        Model back = Models.load(f);
        assertEquals(ModelConfig.toJson(m).toString(), ModelConfig.toJson(back).toString(), kind);
        assertEquals(m.summary(), back.summary());
        Bidirectional bi = (Bidirectional) back.layers().get(0);
        for (RNN<?> copy : List.of(bi.forwardLayer(), bi.backwardLayer())) {
            assertTrue(copy.stateful() && copy.dropout() == 0.1f && copy.recurrentDropout() == 0.2f, kind);
            assertTrue(copy.weightRegularizer("bias") != null && copy.weightConstraint("recurrent_kernel") != null, kind);
            assertTrue(copy.activityRegularizer() != null, kind);
        }
    }

    @Test
    void timeDistributedKeepsEveryOptionOfItsLayer() {
        Rnn4j.setRandomSeed(3);
        Dense dense = new Dense(2, "tanh").useBias(true).kernelInitializer(new VarianceScaling(2, "fan_in", "untruncated_normal"))
                .biasInitializer(Initializer.constant(0.5f)).kernelRegularizer(Regularizer.l2(0.05))
                .biasRegularizer(Regularizer.l1(0.01)).kernelConstraint(Constraint.maxNorm(0.5)).biasConstraint(Constraint.nonNeg());
        dense.activityRegularizer(Regularizer.l1(0.001));
        Sequential m = new Sequential();
        m.add(new LSTM(3).returnSequences(true).inputShape(4, 2));
        m.add(new TimeDistributed(dense));
        m.compile(org.rnn4j.losses.Loss.get("mse"), new SGD(0.5));
        Tensor[] d = data();
        Tensor y = Tensor.zeros(4, 4, 2);
        // Regularizer gradient in training: dL/dkernel - (same without the regularizer) = 2 * 0.05 * w.
        m.computeGradients(new Tensor[] {d[0]}, new Tensor[] {y}, true);
        Weight kernel = m.trainableWeights().get(3);
        float[] with = kernel.grad().data().clone();
        dense.kernelRegularizer((Regularizer) null);
        m.computeGradients(new Tensor[] {d[0]}, new Tensor[] {y}, true);
        float[] without = kernel.grad().data(), w = kernel.value().data();
        for (int i = 0; i < w.length; i++) assertEquals(2 * 0.05 * w[i], with[i] - without[i], 1e-5, "kernel[" + i + "]");
        dense.kernelRegularizer(Regularizer.l2(0.05));
        // Constraints after a step: kernel columns within norm 0.5, bias non-negative.
        m.fit(d[0], y, new FitOptions().epochs(2).batchSize(4).verbose(0));
        float[] k = kernel.value().data();
        for (int col = 0; col < 2; col++) {
            double n = 0;
            for (int row = 0; row < 3; row++) n += k[row * 2 + col] * k[row * 2 + col];
            assertTrue(Math.sqrt(n) <= 0.5 + 1e-6, "column norm " + Math.sqrt(n));
        }
        for (float b : m.trainableWeights().get(4).value().data()) assertTrue(b >= 0, "bias " + b);
        // Save and load: the same config (every option) and summary.
        Path f = dir.resolve("td.keras");
        m.save(f);
        Model back = Models.load(f);
        assertEquals(ModelConfig.toJson(m).toString(), ModelConfig.toJson(back).toString());
        assertEquals(m.summary(), back.summary());
        Layer inner = ((TimeDistributed) back.layers().get(1)).layer();
        assertTrue(inner.weightRegularizer("kernel") != null && inner.weightConstraint("bias") != null
                && inner.activityRegularizer() != null);
    }
}
