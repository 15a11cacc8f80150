package org.rnn4j.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel implementations once, at first use, as {@link KernelPlan#active()} says. The Vector API kernels
 * ({@code VectorGemm}) need the incubating module {@code jdk.incubator.vector} at run time and are loaded
 * reflectively, so this library still loads on a JVM started without it; then the plain-Java kernels run and one
 * line says how to get the fast ones. The {@code ./rnn4j} launcher adds the module itself.
 * {@code -Drnn4j.kernel=scalar} (or {@code -Drnn4j.noVector=true}) forces the plain-Java path,
 * {@code -Drnn4j.kernel=vector256} (or {@code vector512}, {@code vector128}) a vector width: see {@link KernelPlan}.
 *
 * <pre>{@code
 * if (!Kernels.vectorActive()) {
 *     // plain-Java kernels: start the JVM with --add-modules jdk.incubator.vector for the fast ones
 * }
 * }</pre>
 *
 * <p>Thread safety: thread-safe (fixed when the class is initialised).
 */
public final class Kernels {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);

    private Kernels() {}

    /**
     * True when the incubating Vector API module is in the boot layer (run with --add-modules jdk.incubator.vector)
     * and the plan uses it (not forced to plain Java by {@code -Drnn4j.kernel=scalar} or {@code -Drnn4j.noVector}).
     * Thread-safe: fixed when the class is initialised.
     */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && KernelPlan.active().vectorBits() > 0;
    }

    /** Whether the Vector API kernels are the ones in use. Thread-safe: fixed when the class is initialised. */
    public static boolean vectorActive() { return !(MatMul.kernel() instanceof JavaGemm); }

    /** The LSTM gate math for tanh/sigmoid: the Vector API version when the Vector kernels are active. */
    static LstmGates lstmGates() { return vectorOr("org.rnn4j.kernels.VectorLstmGates", JavaLstmGates::new); }

    /** The GRU gate math ({@code reset_after}) for tanh/sigmoid: the Vector API version when the Vector kernels are active. */
    static GruGates gruGates() { return vectorOr("org.rnn4j.kernels.VectorGruGates", JavaGruGates::new); }

    /** Adam's update: the Vector API version when the Vector kernels are active. */
    static AdamKernel adam() { return vectorOr("org.rnn4j.kernels.VectorAdamKernel", JavaAdamKernel::new); }

    /** A new {@code className} (a Vector API class) when the Vector kernels are active and it loads, else {@code fallback}. */
    private static <T> T vectorOr(String className, java.util.function.Supplier<T> fallback) {
        if (vectorActive()) {
            try {
                @SuppressWarnings("unchecked")
                T t = (T) Class.forName(className).getDeclaredConstructor().newInstance();
                return t;
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the plain-Java version
            }
        }
        return fallback.get();
    }

    /** Logs through SLF4J at INFO (the application's binding decides where it goes). */
    private static void say(String line) {
        LOG.info(line);
    }

    static GemmKernel gemm() {
        KernelPlan plan = KernelPlan.active();
        GemmKernel k = null;
        String why = plan.note().isEmpty() ? "-Drnn4j.kernel=scalar is set" : plan.note();
        if (plan.vectorBits() > 0) {
            try {
                k = (GemmKernel) Class.forName("org.rnn4j.kernels.VectorGemm").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                why = "the Vector API kernels failed to load (" + e + ")";
            }
        }
        if (k == null) {
            k = new JavaGemm();
            // One line, only when the slower path is active: the fast path says nothing.
            boolean noModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty();
            say("rnn4j: plain-Java kernels active (" + why + ")" + (noModule
                    ? "; run java with --add-modules jdk.incubator.vector for the faster Vector API kernels" : ""));
        }
        return k;
    }
}
