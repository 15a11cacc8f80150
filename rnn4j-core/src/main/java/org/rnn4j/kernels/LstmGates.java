package org.rnn4j.kernels;

/**
 * The LSTM gate math of {@link LstmStep} specialised for Keras's default activations (tanh, sigmoid recurrent
 * activation), where the transcendental functions are most of the cost of a step after the matrix multiply.
 * Same arguments and results as {@link LstmStep#forward} and {@link LstmStep#backward}; implementations agree
 * with the generic path within float32 rounding (sigmoid and tanh to about 1e-7 absolute).
 */
interface LstmGates {
    void forward(int batch, int units, float[] z, int zOff, float[] gates, int gOff,
                 float[] c, int cPrevOff, int cOff, float[] h, int hOff);

    void backward(int batch, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                  float[] dh, float[] dc, int dOff, float[] dz, int dzOff);
}
