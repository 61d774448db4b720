package io.loopline.tensor;

import java.util.Locale;

/** What every benchmark prints beside its figures: the machine they were measured on. */
public final class BenchmarkMachine {

    private BenchmarkMachine() {}

    /** Cores, operating system, architecture and Java version, e.g. {@code 2 cores, Linux amd64, Java 17.0.13}. */
    public static String describe() {
        return String.format(
                Locale.ROOT,
                "%d cores, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"));
    }
}
