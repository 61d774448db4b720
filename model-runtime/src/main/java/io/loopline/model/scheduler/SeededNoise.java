package io.loopline.model.scheduler;

import java.util.SplittableRandom;

/**
 * Reproducible Gaussian noise: the same seed and stream give the same values, bit for bit, on every
 * machine and JVM (SplittableRandom's algorithm is specified; the Gaussian transform is ours).
 * Streams are derived from (seed, purpose, index…), so a segment rendered by any worker, in any
 * order, draws exactly the noise it would have drawn anywhere else.
 */
public final class SeededNoise {

    private final SplittableRandom random;

    private SeededNoise(long state) {
        this.random = new SplittableRandom(state);
    }

    /** The stream for {@code seed} and the given path of indices (e.g. segment, step). */
    public static SeededNoise of(long seed, long... path) {
        long state = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : path) {
            state = mix(state + 0x9E3779B97F4A7C15L * (p + 1));
        }
        return new SeededNoise(state);
    }

    /**
     * {@code n} independent standard normal values (Marsaglia's polar method). Only IEEE-exact
     * operations and {@link StrictMath#log} are used, so the values are the same bits on every JVM.
     */
    public float[] gaussian(int n) {
        float[] out = new float[n];
        int i = 0;
        while (i < n) {
            double u = 2 * random.nextDouble() - 1;
            double v = 2 * random.nextDouble() - 1;
            double s = u * u + v * v;
            if (s >= 1 || s == 0) {
                continue;
            }
            double scale = Math.sqrt(-2 * StrictMath.log(s) / s);
            out[i++] = (float) (u * scale);
            if (i < n) {
                out[i++] = (float) (v * scale);
            }
        }
        return out;
    }

    /** A uniform value in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** SplitMix64's finalizer: a bijective mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
