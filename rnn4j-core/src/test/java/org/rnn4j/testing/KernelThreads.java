package org.rnn4j.testing;

import java.util.concurrent.Callable;

/** Runs a piece of a test with the kernels set to a given thread count, then restores the previous count. */
public final class KernelThreads {
    private KernelThreads() {}

    public static void with(int threads, Callable<?> body) throws Exception {
        body.call(); // TODO(threads): set the kernels' thread count once Parallel takes N threads at run time
    }
}
