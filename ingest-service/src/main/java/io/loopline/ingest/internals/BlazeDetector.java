package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * MediaPipe's single-shot "Blaze" detectors (faces, poses, palms): the SSD anchors and the "tensors to
 * detections" step of MediaPipe's graphs, which are not part of the TFLite models themselves, plus
 * MediaPipe's weighted non-maximum suppression. Each detection is a box and a few keypoints.
 */
final class BlazeDetector {

    /** A detection in coordinates normalized to the square model input (0..1), or in image pixels. */
    record Detection(float cx, float cy, float w, float h, float score, float[] keypoints) {
        float x0() {
            return cx - w / 2;
        }

        float y0() {
            return cy - h / 2;
        }

        float keypointX(int k) {
            return keypoints[2 * k];
        }

        float keypointY(int k) {
            return keypoints[2 * k + 1];
        }
    }

    /** The detectors used, with the decoding settings of their MediaPipe graphs. */
    enum Variant {
        /** BlazeFace for close faces; keypoints: eyes, nose tip, mouth, ear tragions. */
        FACE_SHORT_RANGE("face_detection_short_range.tflite", 128, new int[] {8, 16, 16, 16}, true, 6, 0.5f, -1),
        /** BlazeFace for faces at any distance. */
        FACE_FULL_RANGE("face_detection_full_range.tflite", 192, new int[] {4}, false, 6, 0.6f, -1),
        /** BlazePose's person detector (2020); keypoints: mid-hip, full-body circle, mid-shoulder, upper-body circle. */
        POSE("pose_detection_2020.tflite", 128, new int[] {8, 16, 16, 16}, true, 4, 0.5f, -1),
        /** The palm detector; keypoints: wrist, index/middle/ring/pinky knuckles, two thumb points. */
        PALM("palm_detection_full.tflite", 192, new int[] {8, 16, 16, 16}, true, 7, 0.5f, 0);

        final String modelFile;
        final int inputSize;
        final float[][] anchors;
        final int keypoints;
        final float minScore;
        /** The model's input range starts at -1 or 0 (and ends at 1). */
        final int inputMin;

        Variant(
                String modelFile,
                int inputSize,
                int[] strides,
                boolean interpolatedAnchor,
                int keypoints,
                float minScore,
                int inputMin) {
            this.modelFile = modelFile;
            this.inputSize = inputSize;
            this.anchors = anchors(inputSize, strides, interpolatedAnchor);
            this.keypoints = keypoints;
            this.minScore = minScore;
            this.inputMin = inputMin;
        }

        int valuesPerAnchor() {
            return 4 + 2 * keypoints;
        }
    }

    private static final float NMS_IOU = 0.3f;

    private BlazeDetector() {}

    /** A detector's model, loaded. */
    record Loaded(Variant variant, Net net) {}

    /**
     * Detections in image pixels, best first: the image letterboxed to a square (as MediaPipe feeds these models),
     * run through each detector, decoded, and merged across all of them.
     */
    static List<Detection> detect(Mat bgr, Loaded... detectors) {
        int side = Math.max(bgr.cols(), bgr.rows());
        int padX = (side - bgr.cols()) / 2;
        int padY = (side - bgr.rows()) / 2;
        List<Detection> all = new ArrayList<>();
        try (Mat square = new Mat()) {
            copyMakeBorder(
                    bgr,
                    square,
                    padY,
                    side - bgr.rows() - padY,
                    padX,
                    side - bgr.cols() - padX,
                    BORDER_CONSTANT,
                    new Scalar(0, 0, 0, 0));
            for (Loaded detector : detectors) {
                Variant variant = detector.variant();
                double scale = (1.0 - variant.inputMin) / 255.0;
                double mean = variant.inputMin == 0 ? 0 : 127.5;
                try (Mat blob = blobFromImage(
                        square,
                        scale,
                        new Size(variant.inputSize, variant.inputSize),
                        new Scalar(mean, mean, mean, 0),
                        true,
                        false,
                        CV_32F)) {
                    float[][] outputs = TfliteModels.forward(detector.net(), blob);
                    boolean regressorsFirst = outputs[0].length == variant.anchors.length * variant.valuesPerAnchor();
                    all.addAll(decode(
                            variant,
                            regressorsFirst ? outputs[0] : outputs[1],
                            regressorsFirst ? outputs[1] : outputs[0]));
                }
            }
        }
        List<Detection> inPixels = new ArrayList<>();
        for (Detection d : weightedNms(all)) {
            inPixels.add(scaled(d, side, -padX, -padY));
        }
        return inPixels;
    }

    /** {@code d} scaled by {@code factor}, then moved by (dx, dy), keypoints too. */
    static Detection scaled(Detection d, float factor, float dx, float dy) {
        float[] kp = d.keypoints().clone();
        for (int k = 0; k < kp.length; k += 2) {
            kp[k] = kp[k] * factor + dx;
            kp[k + 1] = kp[k + 1] * factor + dy;
        }
        return new Detection(d.cx() * factor + dx, d.cy() * factor + dy, d.w() * factor, d.h() * factor, d.score(), kp);
    }

    /**
     * SSD anchor centres (fixed size 1×1): layers of equal stride share one feature map, each layer
     * adds one anchor per cell (two when the interpolated aspect ratio is on), row-major.
     */
    static float[][] anchors(int inputSize, int[] strides, boolean interpolatedAnchor) {
        List<float[]> anchors = new ArrayList<>();
        int layer = 0;
        while (layer < strides.length) {
            int last = layer;
            int perCell = 0;
            while (last < strides.length && strides[last] == strides[layer]) {
                perCell += interpolatedAnchor ? 2 : 1;
                last++;
            }
            int map = (int) Math.ceil((double) inputSize / strides[layer]);
            for (int y = 0; y < map; y++) {
                for (int x = 0; x < map; x++) {
                    for (int a = 0; a < perCell; a++) {
                        anchors.add(new float[] {(x + 0.5f) / map, (y + 0.5f) / map});
                    }
                }
            }
            layer = last;
        }
        return anchors.toArray(new float[0][]);
    }

    /** Decodes raw regressors [N × (4 + 2·keypoints)] and scores [N] into detections above the variant's threshold. */
    static List<Detection> decode(Variant variant, float[] regressors, float[] logits) {
        float scale = variant.inputSize;
        int stride = variant.valuesPerAnchor();
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < variant.anchors.length; i++) {
            float score = sigmoid(Math.max(-100f, Math.min(100f, logits[i])));
            if (score < variant.minScore) {
                continue;
            }
            float ax = variant.anchors[i][0];
            float ay = variant.anchors[i][1];
            int o = i * stride;
            float cx = regressors[o] / scale + ax;
            float cy = regressors[o + 1] / scale + ay;
            float w = regressors[o + 2] / scale;
            float h = regressors[o + 3] / scale;
            if (w <= 0 || h <= 0) {
                continue;
            }
            float[] kp = new float[variant.keypoints * 2];
            for (int k = 0; k < variant.keypoints; k++) {
                kp[2 * k] = regressors[o + 4 + 2 * k] / scale + ax;
                kp[2 * k + 1] = regressors[o + 5 + 2 * k] / scale + ay;
            }
            detections.add(new Detection(cx, cy, w, h, score, kp));
        }
        return detections;
    }

    /** MediaPipe's weighted NMS: overlapping detections are averaged, weighted by score. */
    static List<Detection> weightedNms(List<Detection> detections) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> result = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection top = remaining.get(0);
            List<Detection> cluster = new ArrayList<>();
            for (Detection d : remaining) {
                if (iou(top, d) > NMS_IOU) {
                    cluster.add(d);
                }
            }
            remaining.removeAll(cluster);
            float total = 0;
            float cx = 0, cy = 0, w = 0, h = 0;
            float[] kp = new float[top.keypoints().length];
            for (Detection d : cluster) {
                total += d.score();
                cx += d.cx() * d.score();
                cy += d.cy() * d.score();
                w += d.w() * d.score();
                h += d.h() * d.score();
                for (int k = 0; k < kp.length; k++) {
                    kp[k] += d.keypoints()[k] * d.score();
                }
            }
            for (int k = 0; k < kp.length; k++) {
                kp[k] /= total;
            }
            result.add(new Detection(cx / total, cy / total, w / total, h / total, top.score(), kp));
        }
        return result;
    }

    static float iou(Detection a, Detection b) {
        float ix = Math.max(0, Math.min(a.x0() + a.w(), b.x0() + b.w()) - Math.max(a.x0(), b.x0()));
        float iy = Math.max(0, Math.min(a.y0() + a.h(), b.y0() + b.h()) - Math.max(a.y0(), b.y0()));
        float inter = ix * iy;
        float union = a.w() * a.h() + b.w() * b.h() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
