package org.rnn4j.kernels;

import java.util.logging.Logger;

/** Chooses the kernel implementations at startup and says once which path is active. */
public final class Kernels {
    private static final Logger LOG = Logger.getLogger("org.rnn4j");

    private Kernels() {}

    /** True when the incubating Vector API module is in the boot layer (run with --add-modules jdk.incubator.vector). */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !Boolean.getBoolean("rnn4j.noVector");
    }

    static GemmKernel gemm() {
        GemmKernel k = new JavaGemm();
        if (vectorApiPresent()) {
            try {
                k = (GemmKernel) Class.forName("org.rnn4j.kernels.VectorGemm").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                k = new JavaGemm();
            }
        }
        if (k instanceof JavaGemm) {
            LOG.info("rnn4j: using the plain-Java kernels; run with --add-modules jdk.incubator.vector for the faster Vector API path");
        } else {
            LOG.fine("rnn4j: using the Vector API kernels (" + k.name() + ")");
        }
        return k;
    }
}
