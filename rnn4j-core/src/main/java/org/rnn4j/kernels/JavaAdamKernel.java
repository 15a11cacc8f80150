package org.rnn4j.kernels;

/**
 * Plain-Java {@link AdamKernel}, the reference the Vector API version is held equal to. C2 vectorises these loops
 * itself (its superword pass turns {@code (float) Math.sqrt(double)} into a float square root), so this path is
 * fast too once compiled.
 */
final class JavaAdamKernel implements AdamKernel {
    @Override
    public void update(float[] w, float[] g, float[] m, float[] v, float[] vMax, int from, int to,
                       float alpha, float beta1, float beta2, float epsilon) {
        range(w, g, m, v, vMax, from, to, alpha, beta1, beta2, epsilon);
    }

    /** The update of {@code [from, to)}; also the Vector API kernel's tail. */
    static void range(float[] w, float[] g, float[] m, float[] v, float[] vMax, int from, int to,
                      float alpha, float beta1, float beta2, float epsilon) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        if (vMax == null) {
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float mi = m[i] += (gi - m[i]) * c1;
                float vi = v[i] += (gi * gi - v[i]) * c2;
                // (float) Math.sqrt(double) is the correctly rounded float square root (a double holds more than
                // twice a float's bits), the same value as the Vector API's float sqrt.
                w[i] -= alpha * mi / ((float) Math.sqrt(vi) + epsilon);
            }
        } else {
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float mi = m[i] += (gi - m[i]) * c1;
                float vi = v[i] += (gi * gi - v[i]) * c2;
                float ui = vMax[i] = Math.max(vMax[i], vi);
                w[i] -= alpha * mi / ((float) Math.sqrt(ui) + epsilon);
            }
        }
    }
}
