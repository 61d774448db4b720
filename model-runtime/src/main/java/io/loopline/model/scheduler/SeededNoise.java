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
     * {@code n} independent standard normal values, by inverting the normal CDF (Acklam's rational
     * approximation, relative error below 1.2e-9) at uniforms in (0, 1). Only IEEE-exact arithmetic and,
     * in the 5% tails, {@link StrictMath#log} are used: the values are the same bits on every JVM, and
     * the central 95% need no transcendental function at all (several times faster than Box–Muller).
     */
    public float[] gaussian(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) inverseNormal(((random.nextLong() >>> 11) + 0.5) * 0x1.0p-53);
        }
        return out;
    }

    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    private static final double P_LOW = 0.02425;

    static double inverseNormal(double p) {
        if (p < P_LOW) {
            return tail(Math.sqrt(-2 * StrictMath.log(p)));
        }
        if (p > 1 - P_LOW) {
            return -tail(Math.sqrt(-2 * StrictMath.log(1 - p)));
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }

    private static double tail(double q) {
        return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
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
