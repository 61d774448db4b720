package io.loopline.ingest.internals;

import io.loopline.tensor.FaceMesh;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Measures the mouth's rest state in a portrait from the 468-point face mesh and the pixels: how far
 * apart the inner lips are (at the centre and across the mouth), how thick the lips are, how wide the
 * mouth is, how high its corners sit against the lip centre (a smile lifts them), and whether teeth
 * show between the lips. The renderer starts the mouth from this state, so a smiling portrait keeps
 * its teeth and a closed one starts closed.
 *
 * <p>Every length is divided by the eye distance (between the eye-corner midpoints, in 3D mesh units),
 * so the figures do not depend on the image's size and barely on the head's turn.
 */
public final class MouthAnalyzer {

    /** The mouth's rest state, as the renderer starts from it. */
    public enum State {
        CLOSED,
        PARTED,
        TEETH
    }

    static final int[] INNER_UPPER = FaceMesh.INNER_UPPER_LIP;
    static final int[] INNER_LOWER = FaceMesh.INNER_LOWER_LIP;
    static final int[] OUTER_UPPER = FaceMesh.OUTER_UPPER_LIP;
    static final int[] OUTER_LOWER = FaceMesh.OUTER_LOWER_LIP;
    static final int RIGHT_EYE_OUTER = FaceMesh.RIGHT_EYE_OUTER;
    static final int RIGHT_EYE_INNER = FaceMesh.RIGHT_EYE_INNER;
    static final int LEFT_EYE_INNER = FaceMesh.LEFT_EYE_INNER;
    static final int LEFT_EYE_OUTER = FaceMesh.LEFT_EYE_OUTER;
    static final int MOUTH_RIGHT = FaceMesh.MOUTH_RIGHT;
    static final int MOUTH_LEFT = FaceMesh.MOUTH_LEFT;
    static final int UPPER_LIP_TOP = FaceMesh.UPPER_LIP_TOP;
    static final int LOWER_LIP_BOTTOM = FaceMesh.LOWER_LIP_BOTTOM;
    static final int INNER_UPPER_CENTRE = FaceMesh.INNER_UPPER_LIP_CENTRE;
    static final int INNER_LOWER_CENTRE = FaceMesh.INNER_LOWER_LIP_CENTRE;

    /**
     * Lips apart by more than this (× eye distance, ~2.5 mm on an adult face) at the centre are parted.
     * Closed mouths measured 0.00–0.037 with this mesh; 0.035–0.045 is a hairline opening either way.
     */
    static final float PARTED_GAP = 0.04f;
    /** Below this mouth width (× eye distance) the mesh has no usable mouth; real mouths measure 0.6–1.1. */
    static final float MIN_MOUTH_WIDTH = 0.25f;
    /** Inner lips crossed by more than this (× eye distance) is a broken fit, not mesh noise around a closed mouth. */
    static final float MAX_LIP_OVERLAP = 0.06f;
    /**
     * Teeth show when this share of the lip opening is teeth-coloured … (real portraits: 0.17–0.62 with
     * teeth showing, at most 0.10 without; a wide-open mouth's dark interior lowers the share).
     */
    static final float TEETH_MIN_FRACTION = 0.15f;
    /** … and the teeth-coloured area is at least this (× eye distance², a 3 × 2 mm patch): a glint is no teeth. */
    static final float TEETH_MIN_AREA = 0.002f;
    /** Lips less red than this (in (r−g)/(r+g+b)) are in a grayscale or monochrome picture; real lips measure 0.09–0.45. */
    static final float GRAYSCALE_LIP_REDNESS = 0.03f;
    /** Below this face-mesh presence score (real photos: 0.97–1.00) the mouth's measurement gets a warning. */
    public static final float MIN_MESH_PRESENCE = 0.8f;
    /** With the mouth narrower than this in the image's pixels, its opening has too few pixels to tell teeth from shadow. */
    static final float MIN_MOUTH_PIXELS = 20f;

    /**
     * The mouth's shape from the mesh; lengths in eye distances.
     *
     * @param eyeDistancePx      the unit, in the measured image's pixels
     * @param mouthWidth         corner to corner (61–291)
     * @param lipGap             inner-lip gap at the centre (13–14), 0 when closed
     * @param lipGapProfile      inner-lip gap at the 9 points between the corners, subject's right to left
     * @param upperLipThickness  outer to inner upper lip at the centre (0–13)
     * @param lowerLipThickness  inner to outer lower lip at the centre (14–17)
     * @param cornerLift         how far the corners sit above the lip centre; positive in a smile
     */
    public record Shape(
            float eyeDistancePx,
            float mouthWidth,
            float lipGap,
            float[] lipGapProfile,
            float upperLipThickness,
            float lowerLipThickness,
            float cornerLift) {}

    /**
     * What the pixels between the inner lips show.
     *
     * @param openingPixels      pixels inside the inner-lip contour (its edge excluded)
     * @param teethFraction      share of them that are teeth-coloured: brighter and less red than the lips
     * @param teethArea          teeth-coloured pixels in eye distances²
     * @param interiorBrightness mean luma of the opening over that of the lips; a dark mouth interior is well below 1
     * @param checked            false when the mouth is too small in the image to tell
     */
    public record Opening(
            int openingPixels, float teethFraction, float teethArea, float interiorBrightness, boolean checked) {
        static final Opening UNCHECKED = new Opening(0, 0, 0, Float.NaN, false);
    }

    /** The rest state; {@code uncertainty} is a sentence for a warning when the pixels could not be checked, else null. */
    public record Measurement(State state, Shape shape, Opening opening, String uncertainty) {}

    /** The mouth cannot be located reliably; {@code sentence} says why, for the requester. */
    public static final class MouthNotFound extends Exception {
        public MouthNotFound(String sentence) {
            super(sentence);
        }
    }

    private MouthAnalyzer() {}

    /**
     * Measures the mouth of {@code landmarks} (468 × x, y, z in {@code bgr}'s pixels) in {@code bgr}.
     * {@code sourceMouthPixels} is the mouth's width in the uploaded image, the detail there really is:
     * below {@link #MIN_MOUTH_PIXELS} the pixels are not trusted (an upscaled frame adds none) and the
     * state comes from the mesh alone, with a sentence for a warning. Throws when the mesh's mouth is degenerate.
     */
    public static Measurement measure(Mat bgr, float[] landmarks, float sourceMouthPixels) throws MouthNotFound {
        Shape shape = shape(landmarks);
        if (sourceMouthPixels < MIN_MOUTH_PIXELS) {
            String why = String.format(
                    Locale.ROOT,
                    "The mouth is only %.0f pixels wide in the image, too few to see whether teeth show; it is animated from its outline alone.",
                    sourceMouthPixels);
            return new Measurement(classify(shape, Opening.UNCHECKED), shape, Opening.UNCHECKED, why);
        }
        Opening opening = opening(bgr, landmarks, shape);
        return new Measurement(classify(shape, opening), shape, opening, null);
    }

    /** The mouth's width in pixels, corner to corner in the image plane. */
    public static float mouthPixels(float[] landmarks) {
        return distance2d(landmarks, MOUTH_RIGHT, MOUTH_LEFT);
    }

    /** Throws when a lip point lies outside a {@code width} × {@code height} image (1 px tolerance). */
    public static void checkInside(float[] landmarks, int width, int height, String where) throws MouthNotFound {
        for (int[] contour : new int[][] {OUTER_UPPER, OUTER_LOWER}) {
            for (int i : contour) {
                float x = landmarks[3 * i], y = landmarks[3 * i + 1];
                if (!(x >= -1 && y >= -1 && x <= width + 1 && y <= height + 1)) {
                    throw new MouthNotFound("The mouth is cut off by the " + where
                            + "'s edge; use a portrait that shows the whole mouth.");
                }
            }
        }
    }

    /** The mouth's shape from the mesh alone; throws when the mesh's mouth is degenerate. */
    public static Shape shape(float[] landmarks) throws MouthNotFound {
        float[] rightEye = mid(landmarks, RIGHT_EYE_OUTER, RIGHT_EYE_INNER);
        float[] leftEye = mid(landmarks, LEFT_EYE_INNER, LEFT_EYE_OUTER);
        float eyeDistance = norm3(leftEye[0] - rightEye[0], leftEye[1] - rightEye[1], leftEye[2] - rightEye[2]);
        if (!(eyeDistance > 1e-3f)) {
            throw new MouthNotFound(
                    "The face mesh has no usable eyes to measure the mouth against; use a clearer frontal portrait.");
        }
        float[] right = point(landmarks, MOUTH_RIGHT);
        float[] left = point(landmarks, MOUTH_LEFT);
        // The mouth's own axes: across (corner to corner) and down (towards the chin), so head roll does not matter.
        float ax = left[0] - right[0], ay = left[1] - right[1];
        float axisLength = (float) Math.hypot(ax, ay);
        float eyeAx = leftEye[0] - rightEye[0], eyeAy = leftEye[1] - rightEye[1];
        float width = norm3(ax, ay, left[2] - right[2]) / eyeDistance;
        if (!(axisLength > 1e-3f) || ax * eyeAx + ay * eyeAy <= 0 || width < MIN_MOUTH_WIDTH) {
            throw new MouthNotFound(String.format(
                    Locale.ROOT,
                    "The face mesh found no usable mouth (corner to corner %.2f eye distances%s); use a portrait in which the mouth is clearly visible.",
                    width,
                    ax * eyeAx + ay * eyeAy <= 0 ? ", corners crossed" : ""));
        }
        float ux = ax / axisLength, uy = ay / axisLength;
        float nx = -uy, ny = ux; // image y points down, so (−uy, ux) points from the nose towards the chin
        float[] profile = new float[INNER_UPPER.length - 2];
        for (int k = 1; k < INNER_UPPER.length - 1; k++) {
            profile[k - 1] = Math.max(0, along(landmarks, INNER_UPPER[k], INNER_LOWER[k], nx, ny) / eyeDistance);
        }
        float centreGap = along(landmarks, INNER_UPPER_CENTRE, INNER_LOWER_CENTRE, nx, ny) / eyeDistance;
        if (centreGap < -MAX_LIP_OVERLAP) {
            throw new MouthNotFound(String.format(
                    Locale.ROOT,
                    "The face mesh's lips cross each other (by %.2f eye distances); use a portrait in which the mouth is clearly visible.",
                    -centreGap));
        }
        float upper = along(landmarks, UPPER_LIP_TOP, INNER_UPPER_CENTRE, nx, ny) / eyeDistance;
        float lower = along(landmarks, INNER_LOWER_CENTRE, LOWER_LIP_BOTTOM, nx, ny) / eyeDistance;
        float[] centre = mid(landmarks, INNER_UPPER_CENTRE, INNER_LOWER_CENTRE);
        float[] corners = mid(landmarks, MOUTH_RIGHT, MOUTH_LEFT);
        float lift = ((centre[0] - corners[0]) * nx + (centre[1] - corners[1]) * ny) / eyeDistance;
        return new Shape(eyeDistance, width, Math.max(0, centreGap), profile, upper, lower, lift);
    }

    /** Teeth when enough of the opening is teeth-coloured; else parted when the lips are apart; else closed. */
    public static State classify(Shape shape, Opening opening) {
        if (opening.checked()
                && opening.teethFraction() >= TEETH_MIN_FRACTION
                && opening.teethArea() >= TEETH_MIN_AREA) {
            return State.TEETH;
        }
        return shape.lipGap() >= PARTED_GAP ? State.PARTED : State.CLOSED;
    }

    /** The lips' mean luma and redness, and the luma and redness of each pixel of the opening between them. */
    record Scan(int lipPixels, float lipLuma, float lipRedness, float[] luma, float[] redness) {
        int openingPixels() {
            return luma.length;
        }
    }

    /**
     * Looks at the pixels inside the inner-lip contour. A pixel is teeth-coloured when it is brighter
     * than the lips and much less red than they are: teeth are white, grey or yellowish in every light,
     * lips and tongue are red. In a grayscale image only the brightness can tell.
     */
    static Opening opening(Mat bgr, float[] landmarks, Shape shape) {
        Scan scan = scan(bgr, landmarks, shape);
        if (scan.lipPixels() == 0) {
            return Opening.UNCHECKED;
        }
        if (scan.openingPixels() == 0) {
            return new Opening(0, 0, 0, Float.NaN, true);
        }
        int teeth = 0;
        double openingLuma = 0;
        for (int k = 0; k < scan.openingPixels(); k++) {
            openingLuma += scan.luma()[k];
            if (isTeeth(scan.luma()[k], scan.redness()[k], scan.lipLuma(), scan.lipRedness())) {
                teeth++;
            }
        }
        float unitArea = shape.eyeDistancePx() * shape.eyeDistancePx();
        return new Opening(
                scan.openingPixels(),
                teeth / (float) scan.openingPixels(),
                teeth / unitArea,
                (float) (openingLuma / scan.openingPixels() / Math.max(1e-3, scan.lipLuma())),
                true);
    }

    static Scan scan(Mat bgr, float[] landmarks, Shape shape) {
        float[] inner = contour(landmarks, INNER_UPPER, INNER_LOWER);
        float[] outer = contour(landmarks, OUTER_UPPER, OUTER_LOWER);
        int x0 = clamp((int) Math.floor(min(outer, 0)) - 1, bgr.cols()),
                x1 = clamp((int) Math.ceil(max(outer, 0)) + 1, bgr.cols());
        int y0 = clamp((int) Math.floor(min(outer, 1)) - 1, bgr.rows()),
                y1 = clamp((int) Math.ceil(max(outer, 1)) + 1, bgr.rows());
        // The lip edges blur into the opening over about a pixel (more in soft images): keep away from them.
        float edge = Math.max(1f, shape.eyeDistancePx() * 0.012f);
        double lipLuma = 0, lipRedness = 0;
        int lipPixels = 0;
        FloatList luma = new FloatList(), redness = new FloatList();
        try (UByteIndexer px = bgr.createIndexer()) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    float cx = x + 0.5f, cy = y + 0.5f;
                    boolean inInner = inside(inner, cx, cy);
                    boolean opening = inInner && distanceToEdge(inner, cx, cy) >= edge;
                    boolean lip = !inInner
                            && inside(outer, cx, cy)
                            && distanceToEdge(outer, cx, cy) >= edge
                            && distanceToEdge(inner, cx, cy) >= edge;
                    if (!opening && !lip) {
                        continue;
                    }
                    int b = px.get(y, x, 0), g = px.get(y, x, 1), r = px.get(y, x, 2);
                    float l = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                    float red = (r - g) / (float) Math.max(1, r + g + b);
                    if (opening) {
                        luma.add(l);
                        redness.add(red);
                    } else {
                        lipLuma += l;
                        lipRedness += red;
                        lipPixels++;
                    }
                }
            }
        }
        int n = Math.max(1, lipPixels);
        return new Scan(lipPixels, (float) (lipLuma / n), (float) (lipRedness / n), luma.toArray(), redness.toArray());
    }

    /**
     * Teeth against the lips: brighter and less red. Measured on real portraits, white and yellowish
     * teeth alike are 10–50% brighter than the lips and 0.04–0.15 less red (in (r−g)/(r+g+b)), a dark
     * mouth interior or a tongue is darker and as red. Grayscale: only clearly brighter tells.
     */
    static boolean isTeeth(float luma, float redness, float lipLuma, float lipRedness) {
        if (lipRedness < GRAYSCALE_LIP_REDNESS) {
            return luma >= lipLuma * 1.3f;
        }
        return luma >= lipLuma * 1.1f && redness <= lipRedness - 0.03f;
    }

    /** A growable float array, to keep the pixel loop free of boxing. */
    private static final class FloatList {
        private float[] values = new float[64];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** The polygon of two lip contours sharing their corners: x, y pairs, upper corner to corner, then lower back. */
    static float[] contour(float[] landmarks, int[] upper, int[] lower) {
        // Upper from corner to corner, then lower back, without repeating the shared corners.
        float[] xy = new float[2 * (upper.length + lower.length - 2)];
        int n = 0;
        for (int i : upper) {
            xy[n++] = landmarks[3 * i];
            xy[n++] = landmarks[3 * i + 1];
        }
        for (int k = lower.length - 2; k >= 1; k--) {
            xy[n++] = landmarks[3 * lower[k]];
            xy[n++] = landmarks[3 * lower[k] + 1];
        }
        return xy;
    }

    /** Even-odd rule. */
    static boolean inside(float[] polygon, float x, float y) {
        boolean in = false;
        int n = polygon.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            float xi = polygon[2 * i], yi = polygon[2 * i + 1], xj = polygon[2 * j], yj = polygon[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }

    static float distanceToEdge(float[] polygon, float x, float y) {
        float best = Float.MAX_VALUE;
        int n = polygon.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            float xi = polygon[2 * i], yi = polygon[2 * i + 1], xj = polygon[2 * j], yj = polygon[2 * j + 1];
            float dx = xj - xi, dy = yj - yi;
            float len2 = dx * dx + dy * dy;
            float t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - xi) * dx + (y - yi) * dy) / len2));
            best = Math.min(best, (float) Math.hypot(x - xi - t * dx, y - yi - t * dy));
        }
        return best;
    }

    private static float along(float[] landmarks, int from, int to, float nx, float ny) {
        return (landmarks[3 * to] - landmarks[3 * from]) * nx + (landmarks[3 * to + 1] - landmarks[3 * from + 1]) * ny;
    }

    private static float[] point(float[] landmarks, int i) {
        return new float[] {landmarks[3 * i], landmarks[3 * i + 1], landmarks[3 * i + 2]};
    }

    private static float[] mid(float[] landmarks, int a, int b) {
        return new float[] {
            (landmarks[3 * a] + landmarks[3 * b]) / 2,
            (landmarks[3 * a + 1] + landmarks[3 * b + 1]) / 2,
            (landmarks[3 * a + 2] + landmarks[3 * b + 2]) / 2
        };
    }

    private static float distance2d(float[] landmarks, int a, int b) {
        return (float) Math.hypot(landmarks[3 * b] - landmarks[3 * a], landmarks[3 * b + 1] - landmarks[3 * a + 1]);
    }

    private static float norm3(float x, float y, float z) {
        return (float) Math.sqrt(x * x + y * y + z * z);
    }

    private static float min(float[] xy, int offset) {
        float m = Float.MAX_VALUE;
        for (int i = offset; i < xy.length; i += 2) {
            m = Math.min(m, xy[i]);
        }
        return m;
    }

    private static float max(float[] xy, int offset) {
        float m = -Float.MAX_VALUE;
        for (int i = offset; i < xy.length; i += 2) {
            m = Math.max(m, xy[i]);
        }
        return m;
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }
}
