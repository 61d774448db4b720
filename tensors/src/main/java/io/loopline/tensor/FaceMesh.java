package io.loopline.tensor;

/**
 * Named points of the 468-point MediaPipe face mesh that ingest stores and every stage reads (see
 * {@link Landmarks}). "Right" and "left" are the subject's: the subject's right is the image's left.
 * Contours run from the subject's right end to the left one, so that upper and lower contours pair
 * up point by point.
 */
public final class FaceMesh {

    private FaceMesh() {}

    /** Inner upper lip, corner to corner. */
    public static final int[] INNER_UPPER_LIP = {78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308};
    /** Inner lower lip, same order; its ends are the same corner points as the upper one's. */
    public static final int[] INNER_LOWER_LIP = {78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308};
    /** Outer upper lip, corner to corner. */
    public static final int[] OUTER_UPPER_LIP = {61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291};
    /** Outer lower lip, same order. */
    public static final int[] OUTER_LOWER_LIP = {61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291};

    /** The inner lips' centres, where the lips part first. */
    public static final int INNER_UPPER_LIP_CENTRE = 13;

    public static final int INNER_LOWER_LIP_CENTRE = 14;
    /** The outer lips' centres: the top of the upper lip and the bottom of the lower one. */
    public static final int UPPER_LIP_TOP = 0;

    public static final int LOWER_LIP_BOTTOM = 17;
    /** The outer mouth corners. */
    public static final int MOUTH_RIGHT = 61;

    public static final int MOUTH_LEFT = 291;

    /** Eye corners. */
    public static final int RIGHT_EYE_OUTER = 33;

    public static final int RIGHT_EYE_INNER = 133;
    public static final int LEFT_EYE_INNER = 362;
    public static final int LEFT_EYE_OUTER = 263;

    /** Upper lid margins, outer corner to inner corner: the subject's right eye, then the left. */
    public static final int[][] UPPER_LIDS = {
        {33, 246, 161, 160, 159, 158, 157, 173, 133}, {263, 466, 388, 387, 386, 385, 384, 398, 362}
    };
    /** Lower lid margins, same order. */
    public static final int[][] LOWER_LIDS = {
        {33, 7, 163, 144, 145, 153, 154, 155, 133}, {263, 249, 390, 373, 374, 380, 381, 382, 362}
    };

    public static final int FOREHEAD = 10;
    public static final int CHIN = 152;
    public static final int NOSE_BRIDGE = 168;
    /** The face's outline at the cheekbones' height. */
    public static final int FACE_RIGHT = 234;

    public static final int FACE_LEFT = 454;
}
