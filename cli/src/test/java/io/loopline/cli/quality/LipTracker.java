package io.loopline.cli.quality;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * The lip gap of a video frame found by following the reference's lips with dense optical flow (OpenCV's
 * DIS, reference → frame) instead of fitting the face mesh afresh. On each side of the mouth's middle, a
 * point in the upper lip's body and one in the lower lip's are moved by the median flow around them; the
 * change of their distance, averaged over the two sides by how much of each the camera sees (a turned
 * head shows one), is added to the reference's inner-lip gap. The flow follows whatever texture the lips
 * have, so it sees a mouth open where the mesh's fit is held by its prior — an engraving's hatching, lips
 * under a moustache — and reads a still mouth as still (no refit jitter). The box it looks in moves with
 * the head, and what head motion is left moves both points alike and drops out of their distance.
 */
final class LipTracker implements AutoCloseable {

    /** Per side (image left, image right): upper lip outer and inner point, lower lip inner and outer, and the mouth corner. */
    private static final int[][] SIDES = {{37, 82, 87, 84, 61}, {267, 312, 317, 314, 291}};

    private final DISOpticalFlow flow = DISOpticalFlow.create(DISOpticalFlow.PRESET_MEDIUM);
    private final Mat referenceBox;
    private final Rect box;
    private final double eyeDistance;
    private final double restGap;
    /** Per side: the upper and the lower point, relative to the box. */
    private final double[][][] points = new double[2][][];

    private final double[] weights = new double[2];
    private final int radius;

    /**
     * @param referenceGray the reference image, 8-bit gray, the frames' size
     * @param landmarks     its face mesh
     */
    LipTracker(Mat referenceGray, float[] landmarks) {
        eyeDistance = LandmarkFigures.eyeDistance(landmarks);
        restGap = LandmarkFigures.lipGap(landmarks);
        double[] mid = LandmarkFigures.centre(
                landmarks, new int[] {LandmarkFigures.UPPER_INNER_LIP, LandmarkFigures.LOWER_INNER_LIP});
        // The mouth's size from its width or the eyes', whichever a turned head shrinks less.
        double scale = Math.max(eyeDistance, LandmarkFigures.distance(landmarks, SIDES[0][4], SIDES[1][4]));
        // Room for the head's drift and the jaw's drop around the mouth.
        int x0 = clamp(mid[0] - 0.9 * scale, referenceGray.cols());
        int x1 = clamp(mid[0] + 0.9 * scale, referenceGray.cols());
        int y0 = clamp(mid[1] - 0.6 * scale, referenceGray.rows());
        int y1 = clamp(mid[1] + 0.9 * scale, referenceGray.rows());
        box = new Rect(x0, y0, x1 - x0, y1 - y0);
        referenceBox = new Mat(referenceGray, box).clone();
        for (int side = 0; side < 2; side++) {
            int[] p = SIDES[side];
            points[side] = new double[][] {
                relative(LandmarkFigures.centre(landmarks, new int[] {p[0], p[1]})),
                relative(LandmarkFigures.centre(landmarks, new int[] {p[2], p[3]}))
            };
            double halfWidth = Math.abs(LandmarkFigures.x(landmarks, p[4]) - mid[0]);
            weights[side] = halfWidth * halfWidth;
        }
        radius = (int) Math.max(2, Math.round(0.03 * scale));
    }

    private static int clamp(double v, int size) {
        return (int) Math.max(0, Math.min(size, Math.round(v)));
    }

    private double[] relative(double[] point) {
        return new double[] {point[0] - box.x(), point[1] - box.y()};
    }

    /**
     * The lip gap of {@code frameGray} (8-bit gray, the reference's size) over the reference's eye distance.
     *
     * @param headDx how far the head has moved from the reference (pixels; from the face mesh, which follows the
     *               head well): the box is moved with it, so the flow only has the lips' own motion to find
     */
    double gap(Mat frameGray, double headDx, double headDy) {
        int dx = (int) Math.max(-box.x(), Math.min(frameGray.cols() - box.x() - box.width(), Math.round(headDx)));
        int dy = (int) Math.max(-box.y(), Math.min(frameGray.rows() - box.y() - box.height(), Math.round(headDy)));
        // DIS wants continuous images: a copy of the box, not a view into the frame.
        try (Rect moved = new Rect(box.x() + dx, box.y() + dy, box.width(), box.height());
                Mat view = new Mat(frameGray, moved);
                Mat frameBox = view.clone();
                Mat field = new Mat()) {
            flow.calc(referenceBox, frameBox, field);
            float[] dxy = new float[box.width() * box.height() * 2];
            new FloatPointer(field.ptr()).get(dxy);
            double change = 0;
            for (int side = 0; side < 2; side++) {
                double[] upper = points[side][0];
                double[] lower = points[side][1];
                double[] u = moved(upper, dxy);
                double[] l = moved(lower, dxy);
                double now = Math.hypot(l[0] - u[0], l[1] - u[1]);
                double rest = Math.hypot(lower[0] - upper[0], lower[1] - upper[1]);
                change += weights[side] * (now - rest);
            }
            return restGap + change / (weights[0] + weights[1]) / eyeDistance;
        }
    }

    /** {@code point} moved by the median flow over the square of {@link #radius} around it. */
    private double[] moved(double[] point, float[] dxy) {
        int cx = (int) Math.round(point[0]);
        int cy = (int) Math.round(point[1]);
        int side = 2 * radius + 1;
        double[] dx = new double[side * side];
        double[] dy = new double[side * side];
        int n = 0;
        for (int y = Math.max(0, cy - radius); y <= Math.min(box.height() - 1, cy + radius); y++) {
            for (int x = Math.max(0, cx - radius); x <= Math.min(box.width() - 1, cx + radius); x++) {
                int i = 2 * (y * box.width() + x);
                dx[n] = dxy[i];
                dy[n++] = dxy[i + 1];
            }
        }
        return new double[] {
            point[0] + LandmarkFigures.quantile(Arrays.copyOf(dx, n), 0.5),
            point[1] + LandmarkFigures.quantile(Arrays.copyOf(dy, n), 0.5)
        };
    }

    @Override
    public void close() {
        flow.close();
        referenceBox.close();
        box.close();
    }
}
