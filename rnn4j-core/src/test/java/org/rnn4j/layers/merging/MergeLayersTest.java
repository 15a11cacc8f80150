package org.rnn4j.layers.merging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.reshaping.Flatten;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class MergeLayersTest {
    private static final Tensor A = Tensor.fromRows(new float[][] {{1, 2}, {3, 4}});
    private static final Tensor B = Tensor.fromRows(new float[][] {{5, -6}, {0.5f, 2}});

    private static float[] run(Layer l, Tensor... xs) { return l.call(xs, null, false).output().data(); }

    @Test
    void elementwiseForwardIsHandChecked() {
        assertArrayEquals(new float[] {6, -4, 3.5f, 6}, run(new Add(), A, B));
        assertArrayEquals(new float[] {-4, 8, 2.5f, 2}, run(new Subtract(), A, B));
        assertArrayEquals(new float[] {5, -12, 1.5f, 8}, run(new Multiply(), A, B));
        assertArrayEquals(new float[] {3, -2, 1.75f, 3}, run(new Average(), A, B));
        assertArrayEquals(new float[] {1 + 5 + 1, 2 - 6 + 2, 3 + 0.5f + 3, 4 + 2 + 4}, run(new Add(), A, B, A));
    }

    @Test
    void elementwiseBackwardIsHandChecked() {
        Tensor dy = Tensor.fromRows(new float[][] {{1, 1}, {2, -1}});
        Tensor[] d = new Multiply().call(new Tensor[] {A, B}, null, false).backward(new Tensor[] {dy});
        assertArrayEquals(new float[] {5, -6, 1, -2}, d[0].data()); // dy * b
        assertArrayEquals(new float[] {1, 2, 6, -4}, d[1].data());  // dy * a
        d = new Subtract().call(new Tensor[] {A, B}, null, false).backward(new Tensor[] {dy});
        assertArrayEquals(new float[] {-1, -1, -2, 1}, d[1].data());
        d = new Average().call(new Tensor[] {A, B}, null, false).backward(new Tensor[] {dy});
        assertArrayEquals(new float[] {0.5f, 0.5f, 1, -0.5f}, d[0].data());
    }

    @Test
    void concatenateJoinsAlongTheChosenAxis() {
        assertArrayEquals(new float[] {1, 2, 5, -6, 3, 4, 0.5f, 2}, run(new Concatenate(), A, B));
        Tensor s1 = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2), s2 = Tensor.of(new float[] {5, 6}, 1, 1, 2);
        Pass p = new Concatenate(1).call(new Tensor[] {s1, s2}, null, false);
        assertArrayEquals(new int[] {1, 3, 2}, p.output().shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, p.output().data());
        Tensor[] d = p.backward(new Tensor[] {Tensor.of(new float[] {10, 20, 30, 40, 50, 60}, 1, 3, 2)});
        assertArrayEquals(new float[] {10, 20, 30, 40}, d[0].data());
        assertArrayEquals(new float[] {50, 60}, d[1].data());
    }

    @Test
    void masksCombineAsKeras() {
        Tensor m1 = Tensor.of(new float[] {1, 1, 0}, 1, 3), m2 = Tensor.of(new float[] {0, 1, 1}, 1, 3);
        Tensor x = Tensor.zeros(1, 3, 2);
        assertArrayEquals(new float[] {0, 1, 0}, new Add().combineInputMasks(new Tensor[] {x, x}, new Tensor[] {m1, m2}).data());
        assertArrayEquals(new float[] {1, 1, 0}, new Add().combineInputMasks(new Tensor[] {x, x}, new Tensor[] {m1, null}).data());
        assertNull(new Add().combineInputMasks(new Tensor[] {x, x}, new Tensor[] {null, null}));
        // Along time the masks join, an unmasked input counting as all ones.
        Tensor joined = new Concatenate(1).combineInputMasks(new Tensor[] {x, x}, new Tensor[] {m1, null});
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 1}, joined.data());
        assertArrayEquals(new float[] {0, 1, 0}, new Concatenate().combineInputMasks(new Tensor[] {x, x}, new Tensor[] {m1, m2}).data());
    }

    @Test
    void shapesAreCheckedWithTheLayerName() {
        Input a = new Input(3), b = new Input(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add().name("add_x").apply(a, b));
        assertEquals("Layer \"add_x\" (Add) needs inputs of one shape: input 0 has shape (None, 3), input 1 has shape (None, 4)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Subtract().apply(a, a, a));
        assertTrue(e.getMessage().contains("exactly 2 inputs, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Concatenate().apply(new Input(2, 3), new Input(3, 3)));
        assertTrue(e.getMessage().contains("(None, 2, 3) and (None, 3, 3)"), e.getMessage());
        assertArrayEquals(new int[] {-1, 5, 3}, new Concatenate(1).apply(new Input(2, 3), new Input(3, 3)).shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "subtract", "multiply", "average", "concatenate", "concatenate_time"})
    void gradientsMatchFiniteDifferences(String kind) {
        Rnn4j.setRandomSeed(3);
        Supplier<Layer> merge = switch (kind) {
            case "add" -> Add::new;
            case "subtract" -> Subtract::new;
            case "multiply" -> Multiply::new;
            case "average" -> Average::new;
            case "concatenate" -> Concatenate::new;
            default -> () -> new Concatenate(1);
        };
        Input a = new Input(3, 2), b = new Input(3, 2);
        KerasTensor m = merge.get().apply(new Dense(3, "tanh").apply(a), new Dense(3, "tanh").apply(b));
        KerasTensor y = new Dense(2).apply(new Flatten().apply(m));
        Functional model = Model.of(List.of(a, b), List.of(y));
        model.compile(Loss.get("mse"), new SGD(0.1));
        GradientCheck.assertGradients(model, new Tensor[] {GradientCheck.random(1, 4, 3, 2), GradientCheck.random(2, 4, 3, 2)},
                new Tensor[] {GradientCheck.random(3, 4, 2)});
    }
}
