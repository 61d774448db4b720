package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Frames the person for animation: a square crop, scaled to the output size.
 * <ul>
 *   <li>Portrait: head and shoulders — the face ~42% of the frame height, its centre 42% from the top.</li>
 *   <li>Half body: the head, shoulders, arms and hands found by the body analyzer, and the upper chest.</li>
 * </ul>
 * The crop shrinks toward the image when the ideal one does not fit (never below a tight framing);
 * where it still leaves the image, the background is extended (edge pixels, then blurred), not padded
 * with black bars.
 */
public final class Framing {

    /** The framed image and how source coordinates map into it: {@code out = (src - origin) · scale}. */
    public record Framed(Mat image, double originX, double originY, double scale) {
        /** Points of (x, y, z) from the source image into the frame. */
        public float[] mapLandmarks(float[] landmarks) {
            return mapPoints(landmarks, 3);
        }

        /** Points of (x, y, z, then values that are copied), {@code stride} values each, into the frame. */
        public float[] mapPoints(float[] landmarks, int stride) {
            float[] out = landmarks.clone();
            for (int i = 0; i < out.length; i += stride) {
                out[i] = (float) ((landmarks[i] - originX) * scale);
                out[i + 1] = (float) ((landmarks[i + 1] - originY) * scale);
                out[i + 2] = (float) (landmarks[i + 2] * scale);
            }
            return out;
        }
    }

    /** Head and shoulders: the face ~42% of the frame height, its centre 42% from the top; at most 60%. */
    private static final double FACE_FRACTION = 0.42;

    private static final double TIGHTEST_FACE_FRACTION = 0.60;
    private static final double FACE_CENTER_FROM_TOP = 0.42;
    /** Half body: room above the face mesh (brow to chin) for the top of the head, in face heights. */
    private static final double HEADROOM = 0.5;
    /** Half body: the least room kept above the face mesh when the body does not fit otherwise. */
    private static final double SMALLEST_HEADROOM = 0.2;
    /** Half body: room around the head, arms and hands, as a share of the frame. */
    private static final double BODY_MARGIN = 0.06;
    /** Half body: the chest shown below the shoulders at least, in shoulder widths. */
    private static final double CHEST_BELOW_SHOULDERS = 0.6;
    /** Half body: the face never smaller than this share of the frame (an arm stretched far out is cut instead). */
    private static final double SMALLEST_BODY_FACE_FRACTION = 0.14;
    /** Half body: nor larger than this one (hands held close to the face still leave the chest in view). */
    private static final double LARGEST_BODY_FACE_FRACTION = 0.32;

    private Framing() {}

    /** Head and shoulders around the face. */
    public static Framed frame(Mat bgr, Face face, int size) {
        double faceSize = Math.max(face.height(), face.width());
        double ideal = faceSize / FACE_FRACTION;
        double tightest = faceSize / TIGHTEST_FACE_FRACTION;
        double side = Math.max(tightest, Math.min(ideal, Math.min(bgr.cols(), bgr.rows())));
        double left = face.centerX() - side / 2;
        double top = face.centerY() - side * FACE_CENTER_FROM_TOP;
        return crop(bgr, face, left, top, side, size, Extension.REPEATED);
    }

    /**
     * Half body: the head, the shoulders, the arms and whole hands that are seen and at least the upper chest, with a
     * margin; the face between {@value #SMALLEST_BODY_FACE_FRACTION} and {@value #LARGEST_BODY_FACE_FRACTION} of the
     * frame.
     */
    public static Framed frameHalfBody(Mat bgr, Face face, Body body, int size) {
        double faceSize = Math.max(face.height(), face.width());
        double top = face.y() - HEADROOM * face.height();
        double minX = face.x();
        double maxX = face.x() + face.width();
        double bottom = Math.max(body.y(Body.LEFT_SHOULDER), body.y(Body.RIGHT_SHOULDER))
                + CHEST_BELOW_SHOULDERS * body.shoulderWidth();
        int[] limbs = {
            Body.LEFT_SHOULDER,
            Body.RIGHT_SHOULDER,
            Body.LEFT_ELBOW,
            Body.RIGHT_ELBOW,
            Body.LEFT_WRIST,
            Body.RIGHT_WRIST
        };
        for (int landmark : limbs) {
            if (body.sees(landmark, bgr.cols(), bgr.rows())) {
                minX = Math.min(minX, body.x(landmark));
                maxX = Math.max(maxX, body.x(landmark));
                bottom = Math.max(bottom, body.y(landmark));
            }
        }
        for (Body.Hand hand : body.wholeHands()) {
            float[] box = hand.box();
            minX = Math.min(minX, box[0]);
            maxX = Math.max(maxX, box[2]);
            top = Math.min(top, box[1]);
            bottom = Math.max(bottom, box[3]);
        }
        double side = Math.max(maxX - minX, bottom - top) / (1 - 2 * BODY_MARGIN);
        side = Math.max(faceSize / LARGEST_BODY_FACE_FRACTION, Math.min(faceSize / SMALLEST_BODY_FACE_FRACTION, side));
        // The margins and the headroom give way before the image is extended.
        double imageSide = Math.min(bgr.cols(), bgr.rows());
        double content = Math.max(maxX - minX, bottom - top + (HEADROOM - SMALLEST_HEADROOM) * face.height());
        side = Math.max(faceSize / LARGEST_BODY_FACE_FRACTION, Math.min(side, Math.max(imageSide, content)));
        double room = side - (bottom - top);
        double cropTop = room >= 0
                ? top - Math.min(room / 2, BODY_MARGIN * side)
                : Math.min(bottom - side, face.y() - SMALLEST_HEADROOM * face.height());
        return crop(bgr, face, (minX + maxX) / 2 - side / 2, cropTop, side, size, Extension.ENLARGED);
    }

    /**
     * The square {@code side} at (left, top), slid back inside the image where it can go without losing the face,
     * scaled to {@code size}; where it still leaves the image, the background is extended.
     */
    private static Framed crop(
            Mat bgr, Face face, double left, double top, double side, int size, Extension extension) {
        // Slide the crop back inside the image where it can go without losing the face.
        if (side <= bgr.cols()) {
            left = clamp(left, 0, bgr.cols() - side);
        }
        if (side <= bgr.rows()) {
            top = clamp(
                    top,
                    Math.max(0, face.y() + face.height() - side * 0.95),
                    Math.min(bgr.rows() - side, face.y() - side * 0.05));
            top = clamp(top, 0, bgr.rows() - side);
        }
        int x0 = (int) Math.floor(left);
        int y0 = (int) Math.floor(top);
        int s = (int) Math.round(side);
        int padLeft = Math.max(0, -x0);
        int padTop = Math.max(0, -y0);
        int padRight = Math.max(0, x0 + s - bgr.cols());
        int padBottom = Math.max(0, y0 + s - bgr.rows());
        Mat source = bgr;
        boolean extended = padLeft + padTop + padRight + padBottom > 0;
        if (extended) {
            source = extendBackground(bgr, padTop, padBottom, padLeft, padRight, extension);
        }
        Mat out = new Mat();
        try (Mat crop = new Mat(source, new Rect(x0 + padLeft, y0 + padTop, s, s))) {
            resize(crop, out, new Size(size, size), 0, 0, s > size ? INTER_AREA : INTER_CUBIC);
        }
        if (extended) {
            source.close();
        }
        return new Framed(out, x0, y0, size / (double) s);
    }

    /**
     * How the background is made up where a crop leaves the image: around a head, edge pixels repeated and lightly
     * blurred; beside arms and hands, where repeated edges would streak and a mirror would repeat the person, the
     * whole image enlarged to cover the frame and blurred far out of focus, as video apps fill a frame around a
     * picture of another shape.
     */
    private enum Extension {
        REPEATED,
        ENLARGED
    }

    /** The image in a larger canvas, the added part made up as {@code extension} says; the image itself stays sharp. */
    private static Mat extendBackground(Mat bgr, int top, int bottom, int left, int right, Extension extension) {
        int largest = Math.max(Math.max(top, bottom), Math.max(left, right));
        Mat padded = new Mat();
        int k;
        if (extension == Extension.REPEATED) {
            copyMakeBorder(bgr, padded, top, bottom, left, right, BORDER_REPLICATE);
            k = Math.max(3, (largest / 4) | 1);
        } else {
            int width = bgr.cols() + left + right;
            int height = bgr.rows() + top + bottom;
            double cover = Math.max(width / (double) bgr.cols(), height / (double) bgr.rows());
            try (Mat enlarged = new Mat()) {
                resize(bgr, enlarged, new Size(), cover, cover, INTER_AREA);
                int x = (enlarged.cols() - width) / 2;
                int y = (enlarged.rows() - height) / 2;
                try (Mat window = new Mat(enlarged, new Rect(x, y, width, height))) {
                    window.copyTo(padded);
                }
            }
            k = Math.max(3, (2 * largest) | 1);
        }
        k = Math.min(k, 151);
        Mat result = new Mat();
        GaussianBlur(padded, result, new Size(k, k), 0);
        padded.close();
        try (Mat inner = new Mat(result, new Rect(left, top, bgr.cols(), bgr.rows()))) {
            bgr.copyTo(inner);
        }
        return result;
    }

    private static double clamp(double v, double lo, double hi) {
        return lo > hi ? v : Math.max(lo, Math.min(hi, v));
    }
}
