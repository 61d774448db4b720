package io.loopline.tensor;

/** Region masks over a {@code width × height} image, row-major: grown outward, softened into weights. */
public final class Masks {

    /** Person-mask values (0-255) above this are the person. */
    private static final int PERSON = 64;

    private Masks() {}

    /** The person's pixels in a person mask (8-bit, 255 where the person is, as ingest stores it). */
    public static boolean[] person(byte[] personMask) {
        return above(personMask, PERSON);
    }

    /** Marks the pixels of the box [x0, x1) × [y0, y1), its edges rounded outward and clipped to the image. */
    public static void fill(boolean[] region, int width, int height, double x0, double y0, double x1, double y1) {
        int top = (int) Math.max(0, Math.floor(y0));
        int bottom = (int) Math.min(height, Math.ceil(y1));
        int left = (int) Math.max(0, Math.floor(x0));
        int right = (int) Math.min(width, Math.ceil(x1));
        for (int y = top; y < bottom; y++) {
            for (int x = left; x < right; x++) {
                region[y * width + x] = true;
            }
        }
    }

    /** The pixels within {@code growth} pixels (a square neighbourhood) of one of {@code region}'s. */
    public static boolean[] grow(boolean[] region, int width, int height, int growth) {
        // Along rows, then along columns: a square dilation in two passes of linear time.
        boolean[] rows = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            growLine(region, rows, y * width, 1, width, growth);
        }
        boolean[] grown = new boolean[width * height];
        for (int x = 0; x < width; x++) {
            growLine(rows, grown, x, width, height, growth);
        }
        return grown;
    }

    /** One line of {@code length} values, {@code step} apart: true within {@code growth} of a true value. */
    private static void growLine(boolean[] in, boolean[] out, int start, int step, int length, int growth) {
        int last = Integer.MIN_VALUE / 2;
        for (int i = 0; i < length; i++) {
            if (in[start + step * i]) {
                last = i;
            }
            out[start + step * i] = i - last <= growth;
        }
        last = Integer.MAX_VALUE / 2;
        for (int i = length - 1; i >= 0; i--) {
            if (in[start + step * i]) {
                last = i;
            }
            out[start + step * i] |= last - i <= growth;
        }
    }

    /** The pixels of an 8-bit mask above {@code threshold} (0-255). */
    public static boolean[] above(byte[] mask, int threshold) {
        boolean[] region = new boolean[mask.length];
        for (int p = 0; p < mask.length; p++) {
            region[p] = (mask[p] & 0xff) > threshold;
        }
        return region;
    }

    /** The region as weights in [0, 1], softened by a box blur of {@code radius} pixels (two passes). */
    public static float[] soften(boolean[] region, int width, int height, int radius) {
        float[] weights = new float[width * height];
        for (int p = 0; p < weights.length; p++) {
            weights[p] = region[p] ? 1 : 0;
        }
        float[] rows = new float[weights.length];
        for (int y = 0; y < height; y++) {
            boxBlur(weights, rows, y * width, 1, width, radius);
        }
        for (int x = 0; x < width; x++) {
            boxBlur(rows, weights, x, width, height, radius);
        }
        return weights;
    }

    /** A running-sum box blur along one line of {@code length} values, {@code step} apart; edges repeated. */
    private static void boxBlur(float[] in, float[] out, int start, int step, int length, int radius) {
        double sum = 0;
        for (int i = -radius - 1; i < radius; i++) {
            sum += in[start + step * Math.max(0, Math.min(length - 1, i))];
        }
        for (int i = 0; i < length; i++) {
            sum += in[start + step * Math.min(length - 1, i + radius)];
            sum -= in[start + step * Math.max(0, i - radius - 1)];
            out[start + step * i] = (float) (sum / (2 * radius + 1));
        }
    }
}
