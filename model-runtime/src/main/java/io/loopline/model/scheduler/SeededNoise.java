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
     * {@code n} independent standard normal values, by Marsaglia and Tsang's ziggurat with 256 layers,
     * two values from each 64-bit draw: 32 bits make one float value (8 pick the layer, 24 the signed
     * position — a float has 24 bits of precision), and nearly all values take one comparison and one
     * multiplication; the rest take the exact wedge or tail test with fresh draws. The tables and the
     * rare paths use {@link StrictMath} only, so the values are the same bits on every JVM.
     */
    public float[] gaussian(int n) {
        float[] out = new float[n];
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long bits = random.nextLong();
            out[i] = fromBits((int) bits);
            out[i + 1] = fromBits((int) (bits >>> 32));
        }
        if (i < n) {
            out[i] = fromBits((int) random.nextLong());
        }
        return out;
    }

    private float fromBits(int bits) {
        int layer = bits & (LAYERS - 1);
        int j = bits >> 8; // signed, uniform in [-2^23, 2^23)
        return Math.abs(j) < ZIGGURAT_K[layer] ? j * ZIGGURAT_W_FLOAT[layer] : (float) zigguratSlow(j, layer);
    }

    private static final int LAYERS = 256;
    private static final double ZIGGURAT_R = 3.6541528853610088;
    private static final double ZIGGURAT_V = 4.92867323399e-3;
    private static final double SCALE = 0x1.0p23;
    private static final int[] ZIGGURAT_K = new int[LAYERS];
    private static final double[] ZIGGURAT_W = new double[LAYERS];
    private static final float[] ZIGGURAT_W_FLOAT = new float[LAYERS];
    private static final double[] ZIGGURAT_F = new double[LAYERS];

    static {
        double dn = ZIGGURAT_R;
        double tn = dn;
        double q = ZIGGURAT_V / StrictMath.exp(-0.5 * dn * dn);
        ZIGGURAT_K[0] = (int) ((dn / q) * SCALE);
        ZIGGURAT_K[1] = 0;
        ZIGGURAT_W[0] = q / SCALE;
        ZIGGURAT_W[LAYERS - 1] = dn / SCALE;
        ZIGGURAT_F[0] = 1.0;
        ZIGGURAT_F[LAYERS - 1] = StrictMath.exp(-0.5 * dn * dn);
        for (int i = LAYERS - 2; i >= 1; i--) {
            dn = StrictMath.sqrt(-2 * StrictMath.log(ZIGGURAT_V / dn + StrictMath.exp(-0.5 * dn * dn)));
            ZIGGURAT_K[i + 1] = (int) ((dn / tn) * SCALE);
            tn = dn;
            ZIGGURAT_F[i] = StrictMath.exp(-0.5 * dn * dn);
            ZIGGURAT_W[i] = dn / SCALE;
        }
        for (int i = 0; i < LAYERS; i++) {
            ZIGGURAT_W_FLOAT[i] = (float) ZIGGURAT_W[i];
        }
    }

    /** The ziggurat's rare cases: the base layer's tail beyond R, or a wedge between two layers. */
    private double zigguratSlow(int j, int layer) {
        while (true) {
            double x = j * ZIGGURAT_W[layer];
            if (layer == 0) {
                double tail;
                double y;
                do {
                    tail = -StrictMath.log(openUniform()) / ZIGGURAT_R;
                    y = -StrictMath.log(openUniform());
                } while (y + y < tail * tail);
                return j > 0 ? ZIGGURAT_R + tail : -ZIGGURAT_R - tail;
            }
            if (ZIGGURAT_F[layer] + openUniform() * (ZIGGURAT_F[layer - 1] - ZIGGURAT_F[layer])
                    < StrictMath.exp(-0.5 * x * x)) {
                return x;
            }
            int bits = (int) random.nextLong();
            layer = bits & (LAYERS - 1);
            j = bits >> 8;
            if (Math.abs(j) < ZIGGURAT_K[layer]) {
                return j * ZIGGURAT_W[layer];
            }
        }
    }

    /** A uniform value in (0, 1): never 0, so its logarithm is finite. */
    private double openUniform() {
        return ((random.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
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
