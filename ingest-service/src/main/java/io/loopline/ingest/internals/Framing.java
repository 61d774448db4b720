package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.loopline.events.Mode;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Frames the face for animation: a square crop around it, scaled to the output size.
 * <ul>
 *   <li>Portrait: head and shoulders — the face ~42% of the frame height, its centre 42% from the top.</li>
 *   <li>Half body: the face ~20% of the frame height, its centre in the upper third, so the chest,
 *       shoulders and hands fit.</li>
 * </ul>
 * The crop shrinks toward the image when the ideal one does not fit (never below a tight framing);
 * where it still leaves the image, the background is extended (edge pixels, then blurred), not padded
 * with black bars.
 */
public final class Framing {

    /** The framed image and how source coordinates map into it: {@code out = (src - origin) · scale}. */
    public record Framed(Mat image, double originX, double originY, double scale) {
        public float[] mapLandmarks(float[] landmarks) {
            float[] out = landmarks.clone();
            for (int i = 0; i < out.length; i += 3) {
                out[i] = (float) ((landmarks[i] - originX) * scale);
                out[i + 1] = (float) ((landmarks[i + 1] - originY) * scale);
                out[i + 2] = (float) (landmarks[i + 2] * scale);
            }
            return out;
        }
    }

    private record Layout(double faceFraction, double tightestFaceFraction, double faceCenterFromTop) {}

    private static final Layout PORTRAIT = new Layout(0.42, 0.60, 0.42);
    private static final Layout HALF_BODY = new Layout(0.20, 0.32, 0.20);

    private Framing() {}

    public static Framed frame(Mat bgr, Face face, Mode mode, int size) {
        Layout layout = mode == Mode.HALF_BODY ? HALF_BODY : PORTRAIT;
        double faceSize = Math.max(face.height(), face.width());
        double ideal = faceSize / layout.faceFraction();
        double tightest = faceSize / layout.tightestFaceFraction();
        double side = Math.max(tightest, Math.min(ideal, Math.min(bgr.cols(), bgr.rows())));
        double left = face.centerX() - side / 2;
        double top = face.centerY() - side * layout.faceCenterFromTop();
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
            source = extendBackground(bgr, padTop, padBottom, padLeft, padRight);
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

    /** Replicates the edges outward, then blurs what was added so it reads as out-of-focus background. */
    private static Mat extendBackground(Mat bgr, int top, int bottom, int left, int right) {
        Mat padded = new Mat();
        copyMakeBorder(bgr, padded, top, bottom, left, right, BORDER_REPLICATE);
        int k = Math.max(3, (Math.max(Math.max(top, bottom), Math.max(left, right)) / 4) | 1);
        k = Math.min(k, 151);
        Mat result = new Mat();
        GaussianBlur(padded, result, new Size(k, k), 0);
        padded.close();
        try (Mat inner = new Mat(result, new Rect(left, top, bgr.cols(), bgr.rows()))) {
            bgr.copyTo(inner); // the image itself stays sharp; only the extension is blurred
        }
        return result;
    }

    private static double clamp(double v, double lo, double hi) {
        return lo > hi ? v : Math.max(lo, Math.min(hi, v));
    }
}
