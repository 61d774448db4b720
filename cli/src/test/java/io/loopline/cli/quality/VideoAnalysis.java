package io.loopline.cli.quality;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.bytedeco.opencv.global.opencv_video.MOTION_AFFINE;
import static org.bytedeco.opencv.global.opencv_video.findTransformECC;

import io.loopline.ingest.internals.Face;
import io.loopline.ingest.internals.FaceAnalyzer;
import io.loopline.quality.QualityMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

/**
 * One pass over a rendered video's frames: the face mesh of every frame (tracked from the previous
 * frame's mesh as MediaPipe does in video mode; detected afresh when tracking loses the face), the
 * frame-to-frame change over the face, the upper face's similarity to the reference's once both are
 * aligned by their eyes, and copies of the frames a contact sheet shows.
 */
final class VideoAnalysis {

    /** The aligned upper-face crop: eyes at fixed points, one eye distance of brow and forehead above, the nose bridge below. */
    static final int ALIGNED_WIDTH = 128;

    static final int ALIGNED_HEIGHT = 80;
    private static final double EYE_Y = 48;
    private static final double LEFT_EYE_X = 40;
    private static final double RIGHT_EYE_X = 88;

    /** Per frame: the mesh (null where no face was found). */
    final float[][] landmarks;
    /** Per frame f ≥ 1: mean absolute luma change (0–255) over the face's box from frame f − 1; NaN for frame 0. */
    final float[] faceChange;
    /** Per frame: SSIM of the eye-aligned upper face with the reference's; NaN without landmarks. */
    final float[] upperFaceSsim;
    /**
     * Per frame: mux's own mouth signal ({@link QualityMetrics#mouthOpenness}, from pixels around the
     * reference's mouth), measured on the same frames, to see it beside the landmarks' lip gap.
     */
    final float[] mouthChange;
    /**
     * Per frame: the eyes' boxes of the registered, eye-aligned crop (their pixels, left box then right);
     * null without landmarks.
     */
    final float[][] eyePatches;
    /** Per frame: {@link #eyeChange(float[][], int)} of {@link #eyePatches} over half a second either side. */
    float[] eyeChange;
    /** Per frame: the lip gap found by following the reference's lips with optical flow ({@link LipTracker}). */
    final float[] trackedLipGap;
    /** The frames asked for, as BGR copies. */
    final Map<Integer, Mat> kept = new HashMap<>();
    /** Frames where tracking lost the face and detection was run instead. */
    int redetected;

    private VideoAnalysis(int frames) {
        landmarks = new float[frames][];
        faceChange = new float[frames];
        upperFaceSsim = new float[frames];
        mouthChange = new float[frames];
        eyePatches = new float[frames][];
        trackedLipGap = new float[frames];
    }

    /**
     * @param referenceLandmarks the reference's mesh, where tracking starts
     * @param referenceUpperFace {@link #alignedUpperFace} of the reference
     * @param faceBox            {x, y, width, height} the face-change figure is measured over
     * @param keep               frame indices to copy
     * @param referenceRgb       the reference as mux reads it, RGB [3, H, W] in [-1, 1], and {@code ingestLandmarks} its mesh
     * @param lips               follows the reference's lips through the frames
     */
    static VideoAnalysis of(
            Path video,
            int frames,
            FaceAnalyzer faces,
            float[] referenceLandmarks,
            float[] referenceUpperFace,
            Rect faceBox,
            Set<Integer> keep,
            float[] referenceRgb,
            float[] ingestLandmarks,
            LipTracker lips)
            throws Exception {
        VideoAnalysis a = new VideoAnalysis(frames);
        Arrays.fill(a.faceChange, Float.NaN);
        Arrays.fill(a.upperFaceSsim, Float.NaN);
        Arrays.fill(a.trackedLipGap, Float.NaN);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
                Mat gray = new Mat();
                Mat previous = new Mat();
                Mat diff = new Mat()) {
            grabber.start();
            float[] last = referenceLandmarks;
            Frame frame;
            for (int f = 0; f < frames && (frame = grabber.grabImage()) != null; f++) {
                Mat bgr = converter.convert(frame);
                Optional<Face> face = faces.track(bgr, last);
                if (face.isEmpty()) {
                    a.redetected++;
                    face = faces.analyze(bgr).stream().findFirst();
                }
                if (face.isPresent()) {
                    a.landmarks[f] = face.get().landmarks();
                    last = a.landmarks[f];
                }
                cvtColor(bgr, gray, COLOR_BGR2GRAY);
                if (f > 0) {
                    try (Mat now = new Mat(gray, faceBox);
                            Mat before = new Mat(previous, faceBox)) {
                        absdiff(now, before, diff);
                        a.faceChange[f] = (float) org.bytedeco
                                .opencv
                                .global
                                .opencv_core
                                .mean(diff)
                                .get(0);
                    }
                }
                gray.copyTo(previous);
                if (a.landmarks[f] != null) {
                    float[] aligned = registered(alignedUpperFace(gray, a.landmarks[f]), referenceUpperFace);
                    a.upperFaceSsim[f] = (float) ssim(aligned, referenceUpperFace);
                    a.eyePatches[f] = eyeBoxes(aligned);
                }
                // The head's displacement from the reference, by the mesh's nose tip (the last one seen where no face
                // was found).
                float[] head = a.landmarks[f] != null ? a.landmarks[f] : last;
                a.trackedLipGap[f] = (float) lips.gap(
                        gray,
                        LandmarkFigures.x(head, LandmarkFigures.NOSE_TIP)
                                - LandmarkFigures.x(referenceLandmarks, LandmarkFigures.NOSE_TIP),
                        LandmarkFigures.y(head, LandmarkFigures.NOSE_TIP)
                                - LandmarkFigures.y(referenceLandmarks, LandmarkFigures.NOSE_TIP));
                a.mouthChange[f] = QualityMetrics.mouthOpenness(
                        rgbPlanes(bgr), 1, bgr.rows(), bgr.cols(), referenceRgb, ingestLandmarks)[0];
                if (keep.contains(f)) {
                    a.kept.put(f, bgr.clone());
                }
            }
            a.eyeChange = eyeChange(a.eyePatches, (int) Math.round(grabber.getFrameRate() / 2));
            grabber.stop();
        }
        return a;
    }

    /**
     * An eye-aligned crop moved onto the reference's by the affine map that matches them best (OpenCV's
     * ECC image alignment). The mesh's eye centres wander by a pixel or so between frames and its eye
     * distance shifts with the mouth's opening (the mesh is fitted to the whole face), so the two-point
     * alignment alone leaves crops off in position and size; on a finely textured face (an engraving,
     * a grainy photo) that read as a changed face. An affine map also undoes the small yaw and pitch of the
     * head (the upper face is nearly flat); what it cannot undo is a change in what the face looks like.
     * The crop as it was when the alignment does not converge.
     */
    static float[] registered(float[] aligned, float[] reference) {
        try (Mat template = floatMat(reference);
                Mat input = floatMat(aligned);
                Mat warp = Mat.eye(2, 3, CV_32F).asMat();
                Mat moved = new Mat();
                Mat noMask = new Mat();
                TermCriteria criteria = new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 50, 1e-4)) {
            findTransformECC(template, input, warp, MOTION_AFFINE, criteria, noMask, 5);
            warpAffine(
                    input,
                    moved,
                    warp,
                    new Size(ALIGNED_WIDTH, ALIGNED_HEIGHT),
                    INTER_LINEAR | WARP_INVERSE_MAP,
                    BORDER_REPLICATE,
                    new Scalar(0));
            float[] out = new float[aligned.length];
            new FloatPointer(moved.ptr()).get(out);
            return out;
        } catch (RuntimeException notConverged) {
            return aligned;
        }
    }

    private static Mat floatMat(float[] values) {
        Mat m = new Mat(ALIGNED_HEIGHT, ALIGNED_WIDTH, CV_32F);
        new FloatPointer(m.ptr()).put(values);
        return m;
    }

    /** Whether pixel (x, y) of the aligned crop lies in an eye's box: its centre ± 12 × 6 pixels (the eyes are 48 apart). */
    private static boolean inEyeBox(int x, int y) {
        return Math.abs(y - EYE_Y) <= 6 && (Math.abs(x - LEFT_EYE_X) <= 12 || Math.abs(x - RIGHT_EYE_X) <= 12);
    }

    /** The pixels of an aligned crop's eye boxes, the left box's then the right's, row by row. */
    static float[] eyeBoxes(float[] aligned) {
        float[] values = new float[aligned.length];
        int n = 0;
        for (int y = 0; y < ALIGNED_HEIGHT; y++) {
            for (int x = 0; x < ALIGNED_WIDTH; x++) {
                if (inEyeBox(x, y)) {
                    values[n++] = aligned[y * ALIGNED_WIDTH + x];
                }
            }
        }
        return Arrays.copyOf(values, n);
    }

    /**
     * Per frame: how far the eyes' boxes ({@code eyePatches}) are from what they usually look like around then — the mean
     * absolute difference, pixel by pixel, from the per-pixel median of the boxes within ±{@code half}
     * frames, over the mean absolute deviation of the boxes' pixels. A blink (a fifth of a second) is a
     * brief rise; a gaze shift or brow raise that is held moves the median with it and rises at most for
     * a frame or two; a lid closing over a dark, shadowed eye still changes where the iris was. NaN
     * without landmarks.
     */
    static float[] eyeChange(float[][] eyePatches, int half) {
        int frames = eyePatches.length;
        float[] out = new float[frames];
        Arrays.fill(out, Float.NaN);
        for (int f = 0; f < frames; f++) {
            float[] patch = eyePatches[f];
            if (patch == null) {
                continue;
            }
            List<float[]> around = new ArrayList<>();
            for (int g = Math.max(0, f - half); g <= Math.min(frames - 1, f + half); g++) {
                if (eyePatches[g] != null) {
                    around.add(eyePatches[g]);
                }
            }
            float[] column = new float[around.size()];
            double mean = 0;
            for (float v : patch) {
                mean += v / patch.length;
            }
            double deviation = 0;
            double change = 0;
            for (int i = 0; i < patch.length; i++) {
                for (int k = 0; k < column.length; k++) {
                    column[k] = around.get(k)[i];
                }
                Arrays.sort(column);
                change += Math.abs(patch[i] - column[column.length / 2]);
                deviation += Math.abs(patch[i] - mean);
            }
            out[f] = (float) (change / Math.max(deviation, patch.length));
        }
        return out;
    }

    /** A BGR image as RGB planes [3, H, W] in [-1, 1], the layout {@link QualityMetrics} reads. */
    static float[] rgbPlanes(Mat bgr) {
        int h = bgr.rows();
        int w = bgr.cols();
        byte[] pixels = new byte[h * w * 3];
        try (Mat continuous = bgr.isContinuous() ? null : bgr.clone()) {
            (continuous != null ? continuous : bgr).data().get(pixels);
        }
        float[] out = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * h * w + i] = (pixels[3 * i + 2 - c] & 0xff) / 127.5f - 1f;
            }
        }
        return out;
    }

    /**
     * The upper face (brows, eyes, forehead, nose bridge) of a grayscale image warped so that its eye
     * centres land on fixed points of a {@value #ALIGNED_WIDTH}×{@value #ALIGNED_HEIGHT} crop: rotation,
     * scale and position of the head no longer matter, only what the face looks like. Values 0–255.
     */
    static float[] alignedUpperFace(Mat gray, float[] landmarks) {
        double[] left = LandmarkFigures.centre(landmarks, LandmarkFigures.LEFT_EYE_CORNERS);
        double[] right = LandmarkFigures.centre(landmarks, LandmarkFigures.RIGHT_EYE_CORNERS);
        double angle = Math.atan2(right[1] - left[1], right[0] - left[0]);
        double scale = (RIGHT_EYE_X - LEFT_EYE_X) / Math.hypot(right[0] - left[0], right[1] - left[1]);
        double a = scale * Math.cos(-angle);
        double b = scale * Math.sin(-angle);
        // x' = a·x − b·y + tx, y' = b·x + a·y + ty, with the left eye landing on (LEFT_EYE_X, EYE_Y).
        double tx = LEFT_EYE_X - (a * left[0] - b * left[1]);
        double ty = EYE_Y - (b * left[0] + a * left[1]);
        float[] out = new float[ALIGNED_WIDTH * ALIGNED_HEIGHT];
        try (Mat m = new Mat(2, 3, CV_64F);
                Mat smoothed = new Mat();
                Mat aligned = new Mat();
                Mat asFloat = new Mat()) {
            DoubleIndexer idx = m.createIndexer();
            idx.put(0, 0, a)
                    .put(0, 1, -b)
                    .put(0, 2, tx)
                    .put(1, 0, b)
                    .put(1, 1, a)
                    .put(1, 2, ty);
            idx.release();
            // Shrinking fine texture (an engraving's hatching, film grain) by bilinear sampling aliases it into a moiré
            // that changes with every sub-pixel shift of the head: low-pass first (σ half the shrink factor leaves
            // under 2% of hatching 2.3 px apart), as SSIM's authors advise before comparing downsampled images.
            double sigma = scale < 1 ? 0.5 / scale : 0;
            if (sigma > 0.1) {
                GaussianBlur(gray, smoothed, new Size(0, 0), sigma);
            } else {
                gray.copyTo(smoothed);
            }
            warpAffine(
                    smoothed,
                    aligned,
                    m,
                    new Size(ALIGNED_WIDTH, ALIGNED_HEIGHT),
                    INTER_LINEAR,
                    BORDER_REPLICATE,
                    new Scalar(0));
            aligned.convertTo(asFloat, CV_32F);
            new FloatPointer(asFloat.ptr()).get(out);
        }
        return out;
    }

    /**
     * Mean structural similarity (Wang et al., 2004) of two same-size crops, with the usual 11×11
     * Gaussian window (σ 1.5) and constants for 8-bit values: 1 for identical crops.
     */
    static double ssim(float[] x, float[] y) {
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        float[] xx = new float[x.length];
        float[] yy = new float[x.length];
        float[] xy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        float[] mx = blur(x), my = blur(y), sxx = blur(xx), syy = blur(yy), sxy = blur(xy);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double vx = sxx[i] - mx[i] * mx[i];
            double vy = syy[i] - my[i] * my[i];
            double cov = sxy[i] - mx[i] * my[i];
            sum += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2))
                    / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
        }
        return sum / x.length;
    }

    private static float[] blur(float[] v) {
        float[] out = new float[v.length];
        try (Mat in = new Mat(ALIGNED_HEIGHT, ALIGNED_WIDTH, CV_32F);
                Mat blurred = new Mat()) {
            new FloatPointer(in.ptr()).put(v);
            GaussianBlur(in, blurred, new Size(11, 11), 1.5);
            new FloatPointer(blurred.ptr()).get(out);
        }
        return out;
    }

    /** Releases the kept frames. */
    void close() {
        kept.values().forEach(Mat::close);
        kept.clear();
    }
}
