package io.loopline.ingest.internals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Anchor generation and box decoding of MediaPipe's BlazeFace detectors (the SSD anchors and the
 * "tensors to detections" step of MediaPipe's face-detection graphs, which are not part of the
 * TFLite models themselves), plus MediaPipe's weighted non-maximum suppression.
 */
final class BlazeFace {

    /** A detection in coordinates normalized to the square model input (0..1). */
    record Detection(float cx, float cy, float w, float h, float score, float[] keypoints) {
        float x0() {
            return cx - w / 2;
        }

        float y0() {
            return cy - h / 2;
        }
    }

    /** The two published variants: inputs of 128 (close faces) and 192 pixels (any distance). */
    enum Variant {
        SHORT_RANGE("face_detection_short_range.tflite", 128, new int[] {8, 16, 16, 16}, true, 0.5f),
        FULL_RANGE("face_detection_full_range.tflite", 192, new int[] {4}, false, 0.6f);

        final String modelFile;
        final int inputSize;
        final float[][] anchors;
        final float minScore;

        Variant(String modelFile, int inputSize, int[] strides, boolean interpolatedAnchor, float minScore) {
            this.modelFile = modelFile;
            this.inputSize = inputSize;
            this.anchors = anchors(inputSize, strides, interpolatedAnchor);
            this.minScore = minScore;
        }
    }

    private static final int KEYPOINTS = 6;
    private static final float NMS_IOU = 0.3f;

    private BlazeFace() {}

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

    /** Decodes raw regressors [N×16] and scores [N] into detections above the variant's threshold. */
    static List<Detection> decode(Variant variant, float[] regressors, float[] logits) {
        float scale = variant.inputSize;
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < variant.anchors.length; i++) {
            float score = sigmoid(Math.max(-100f, Math.min(100f, logits[i])));
            if (score < variant.minScore) {
                continue;
            }
            float ax = variant.anchors[i][0];
            float ay = variant.anchors[i][1];
            int o = i * 16;
            float cx = regressors[o] / scale + ax;
            float cy = regressors[o + 1] / scale + ay;
            float w = regressors[o + 2] / scale;
            float h = regressors[o + 3] / scale;
            if (w <= 0 || h <= 0) {
                continue;
            }
            float[] kp = new float[KEYPOINTS * 2];
            for (int k = 0; k < KEYPOINTS; k++) {
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
            float[] kp = new float[KEYPOINTS * 2];
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
