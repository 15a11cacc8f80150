package org.rnn4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every primitive's recorded gradient against central finite differences in double precision. */
class VarTest {
    private static Var random(SplittableRandom r, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = 2 * r.nextDouble() - 1;
        return Var.leaf(v, rows, cols);
    }

    static Stream<Arguments> primitives() {
        return Stream.of(
                Arguments.of("matmul", (Function<Var[], Var>) v -> v[0].matmul(v[1]), new int[][] {{3, 4}, {4, 2}}),
                Arguments.of("add", (Function<Var[], Var>) v -> v[0].add(v[1]), new int[][] {{3, 4}, {3, 4}}),
                Arguments.of("add_bias_row", (Function<Var[], Var>) v -> v[0].add(v[1]), new int[][] {{3, 4}, {1, 4}}),
                Arguments.of("sub", (Function<Var[], Var>) v -> v[0].sub(v[1]), new int[][] {{3, 4}, {3, 4}}),
                Arguments.of("mul", (Function<Var[], Var>) v -> v[0].mul(v[1]), new int[][] {{3, 4}, {3, 4}}),
                Arguments.of("mul_row", (Function<Var[], Var>) v -> v[1].mul(v[0]), new int[][] {{3, 4}, {1, 4}}),
                Arguments.of("scale", (Function<Var[], Var>) v -> v[0].scale(-2.5), new int[][] {{3, 4}}),
                Arguments.of("one_minus", (Function<Var[], Var>) v -> v[0].oneMinus(), new int[][] {{3, 4}}),
                Arguments.of("sigmoid", (Function<Var[], Var>) v -> v[0].sigmoid(), new int[][] {{3, 4}}),
                Arguments.of("tanh", (Function<Var[], Var>) v -> v[0].tanh(), new int[][] {{3, 4}}),
                Arguments.of("relu", (Function<Var[], Var>) v -> v[0].relu(), new int[][] {{3, 4}}),
                Arguments.of("softplus", (Function<Var[], Var>) v -> v[0].activation("softplus"), new int[][] {{3, 4}}),
                Arguments.of("slice", (Function<Var[], Var>) v -> v[0].slice(1, 3), new int[][] {{3, 4}}),
                Arguments.of("concat", (Function<Var[], Var>) v -> v[0].concat(v[1]), new int[][] {{3, 4}, {3, 2}}),
                Arguments.of("where", (Function<Var[], Var>) v -> Var.where(new boolean[] {true, false, true}, v[0], v[1]),
                        new int[][] {{3, 4}, {3, 4}}),
                Arguments.of("reused", (Function<Var[], Var>) v -> v[0].mul(v[0]).add(v[0].tanh()), new int[][] {{3, 4}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void gradientMatchesFiniteDifferences(String name, Function<Var[], Var> f, int[][] shapes) {
        SplittableRandom r = new SplittableRandom(7);
        Var[] in = new Var[shapes.length];
        for (int i = 0; i < in.length; i++) in[i] = random(r, shapes[i][0], shapes[i][1]);
        Var probe = f.apply(in);
        Var weights = random(r, probe.rows, probe.cols); // a random linear read-out makes every output count
        Var loss = f.apply(in).mul(weights).sum();
        loss.backward();
        // The named-activation path computes in float (rnn4j's Activation): a wider step and tolerance there.
        boolean viaFloat = name.equals("softplus");
        double h = viaFloat ? 1e-3 : 1e-6, tol = viaFloat ? 2e-4 : 1e-7;
        for (Var v : in) {
            for (int i = 0; i < v.value.length; i++) {
                double saved = v.value[i];
                v.value[i] = saved + h;
                double up = f.apply(in).mul(weights).sum().value[0];
                v.value[i] = saved - h;
                double down = f.apply(in).mul(weights).sum().value[0];
                v.value[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, v.grad[i], tol * Math.max(1, Math.abs(numeric)), name + " d/dx" + i);
            }
        }
    }

    @Test
    void smallValuesAPersonCanCheck() {
        Var a = Var.leaf(new double[] {1, 2, 3, 4}, 2, 2), b = Var.leaf(new double[] {1, 0, 0, 1}, 2, 2);
        assertArrayEquals(new double[] {1, 2, 3, 4}, a.matmul(b).value);
        assertArrayEquals(new double[] {2, 3, 4, 5}, a.add(Var.leaf(new double[] {1, 1}, 1, 2)).value);
        assertArrayEquals(new double[] {2, 4}, a.slice(1, 2).value);
        Var c = a.mul(a).sum(); // sum of squares: gradient 2a
        c.backward();
        assertArrayEquals(new double[] {2, 4, 6, 8}, a.grad);
        assertThrows(IllegalArgumentException.class, () -> a.matmul(Var.constant(1, 3, 1)));
        assertThrows(IllegalArgumentException.class, () -> a.add(Var.constant(1, 3, 2)));
    }
}
