package org.rnn4j.activations;

/** The built-in activations, each forward beside its derivative. Formulas are Keras's. */
final class Activations {
    private Activations() {}

    static final Activation LINEAR = new Activation("linear") {
        public float apply(float x) { return x; }
        public float derivative(float x, float y) { return 1f; }
        @Override public boolean isLinear() { return true; }
        @Override public void forward(float[] z, float[] y, int rows, int cols) {
            if (z != y) System.arraycopy(z, 0, y, 0, rows * cols);
        }
    };

    static final Activation RELU = new Activation("relu") {
        public float apply(float x) { return x > 0f ? x : 0f; }
        public float derivative(float x, float y) { return x > 0f ? 1f : 0f; }
    };

    static final Activation RELU6 = new Activation("relu6") {
        public float apply(float x) { return Math.min(Math.max(x, 0f), 6f); }
        public float derivative(float x, float y) { return x > 0f && x < 6f ? 1f : 0f; }
    };

    static final Activation SIGMOID = new Activation("sigmoid") {
        public float apply(float x) { return sigmoid(x); }
        public float derivative(float x, float y) { return y * (1f - y); }
    };

    /** Keras 1/2 and TensorFlow.js: clip(0.2x + 0.5, 0, 1). */
    static final Activation HARD_SIGMOID = new Activation("hard_sigmoid") {
        public float apply(float x) { return Math.min(1f, Math.max(0f, 0.2f * x + 0.5f)); }
        public float derivative(float x, float y) { return x > -2.5f && x < 2.5f ? 0.2f : 0f; }
    };

    /** Keras 3: relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1). */
    static final Activation HARD_SIGMOID_KERAS3 = new Activation("hard_sigmoid_keras3") {
        public float apply(float x) { return Math.min(1f, Math.max(0f, x / 6f + 0.5f)); }
        public float derivative(float x, float y) { return x > -3f && x < 3f ? 1f / 6f : 0f; }
    };

    static final Activation TANH = new Activation("tanh") {
        public float apply(float x) { return (float) Math.tanh(x); }
        public float derivative(float x, float y) { return 1f - y * y; }
    };

    static final Activation ELU = new Activation("elu") {
        public float apply(float x) { return x > 0f ? x : (float) Math.expm1(x); }
        public float derivative(float x, float y) { return x > 0f ? 1f : y + 1f; }
    };

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    static final Activation SELU = new Activation("selu") {
        public float apply(float x) {
            return (float) (x > 0f ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x));
        }
        public float derivative(float x, float y) {
            return (float) (x > 0f ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x));
        }
    };

    static final Activation SOFTPLUS = new Activation("softplus") {
        // log(1 + e^x), computed without overflow.
        public float apply(float x) { return (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs((double) x)))); }
        public float derivative(float x, float y) { return sigmoid(x); }
    };

    static final Activation SOFTSIGN = new Activation("softsign") {
        public float apply(float x) { return x / (1f + Math.abs(x)); }
        public float derivative(float x, float y) {
            float d = 1f + Math.abs(x);
            return 1f / (d * d);
        }
    };

    static final Activation SWISH = new Activation("swish") {
        public float apply(float x) { return x * sigmoid(x); }
        public float derivative(float x, float y) {
            float s = sigmoid(x);
            return s + x * s * (1f - s);
        }
    };

    /** Keras's default gelu (approximate=False): 0.5 x (1 + erf(x / sqrt 2)). */
    static final Activation GELU = new Activation("gelu") {
        public float apply(float x) { return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0)))); }
        public float derivative(float x, float y) {
            double cdf = 0.5 * (1.0 + erf(x / Math.sqrt(2.0)));
            double pdf = Math.exp(-0.5 * (double) x * x) / Math.sqrt(2.0 * Math.PI);
            return (float) (cdf + x * pdf);
        }
    };

    static final Activation EXPONENTIAL = new Activation("exponential") {
        public float apply(float x) { return (float) Math.exp(x); }
        public float derivative(float x, float y) { return y; }
    };

    /** Softmax over the last axis, stabilised by subtracting the row maximum. */
    static final Activation SOFTMAX = new Activation("softmax") {
        public float apply(float x) { throw new UnsupportedOperationException("softmax works on rows, not single values"); }
        public float derivative(float x, float y) { throw new UnsupportedOperationException("softmax works on rows"); }
        @Override public boolean elementwise() { return false; }

        @Override public void forward(float[] z, float[] y, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) max = Math.max(max, z[o + j]);
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    float e = (float) Math.exp(z[o + j] - max);
                    y[o + j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = 0; j < cols; j++) y[o + j] *= inv;
            }
        }

        // dz_j = y_j (dy_j - sum_k dy_k y_k)
        @Override public void backward(float[] z, float[] y, float[] dy, float[] dz, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) dot += dy[o + j] * y[o + j];
                for (int j = 0; j < cols; j++) dz[o + j] = (float) (y[o + j] * (dy[o + j] - dot));
            }
        }
    };

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** erf in double precision: Maclaurin series below 2.5, the continued fraction of erfc above. */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // Maclaurin series: converges quickly for |x| < 2.5 (at most ~60 terms).
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2.0 / Math.sqrt(Math.PI) * sum;
        } else {
            // Continued fraction for erfc, accurate for larger |x|.
            double f = 0;
            for (int n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
            r = 1.0 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }
}
