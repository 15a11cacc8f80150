package org.rnn4j.testing;

import java.util.concurrent.Callable;
import org.rnn4j.kernels.Parallel;

/** Runs a piece of a test with the kernels set to a given thread count, then restores the previous count. */
public final class KernelThreads {
    private KernelThreads() {}

    public static void with(int threads, Callable<?> body) throws Exception {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            body.call();
        } finally {
            Parallel.setThreads(before);
        }
    }
}
