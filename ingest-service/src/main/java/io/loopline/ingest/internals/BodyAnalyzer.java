package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * Finds the body and hands of the person whose face was found, with MediaPipe's BlazePose, palm detector and hand
 * landmark models, and separates the person from the background with MediaPipe's selfie segmentation — run through
 * OpenCV DNN the way MediaPipe's graphs run them on one image: detect, crop the region upright, fit the landmarks,
 * then fit them once more in the region the first fit gives. Not thread-safe: one analyzer per worker thread.
 */
public final class BodyAnalyzer implements AutoCloseable {

    private static final int POSE_INPUT = 256;
    private static final int HAND_INPUT = 224;
    private static final int SEGMENTATION_INPUT = 256;
    /** MediaPipe's pose region: twice the body circle's radius, enlarged 1.25×. */
    private static final float POSE_CROP_SCALE = 2.5f;
    /** MediaPipe's hand region from a palm: the palm box enlarged 2.6×, moved half a palm toward the fingers. */
    private static final float PALM_CROP_SCALE = 2.6f;

    private static final float PALM_CROP_SHIFT = 0.5f;
    /** MediaPipe's hand region from its landmarks: their box enlarged 2×, moved a tenth toward the fingers. */
    private static final float HAND_CROP_SCALE = 2.0f;

    private static final float HAND_CROP_SHIFT = 0.1f;
    private static final float MIN_PRESENCE = 0.5f;
    private static final int MAX_PALMS = 4;
    /**
     * A hand whose wrist is farther than this many shoulder widths from both of the body's wrists is someone else's
     * (seen: 0.05-0.9 for the person's own hands, 2.6 for a neighbour's hand on a shoulder).
     */
    private static final float MAX_WRIST_DISTANCE = 1.0f;
    /** How far above the chin shoulders may be, in face heights. */
    private static final float SHOULDERS_ABOVE_CHIN = 0.3f;
    /** Auxiliary pose points 33 and 34 give the next region's centre and its body circle, as kp 0 and 1 do. */
    private static final int POSE_ROI_CENTER = 33;

    private static final int POSE_ROI_CIRCLE = 34;
    private static final int POSE_OUTPUT_POINTS = 39;
    private static final int POSE_OUTPUT_VALUES = 5;
    private static final int HAND_WRIST = 0;
    private static final int HAND_MIDDLE_KNUCKLE = 9;

    private final BlazeDetector.Loaded poseDetector;
    private final BlazeDetector.Loaded palmDetector;
    private final Net poseLandmarks;
    private final Net handLandmarks;
    private final Net segmentation;

    public BodyAnalyzer() {
        this.poseDetector = new BlazeDetector.Loaded(
                BlazeDetector.Variant.POSE, TfliteModels.load(BlazeDetector.Variant.POSE.modelFile));
        this.palmDetector = new BlazeDetector.Loaded(
                BlazeDetector.Variant.PALM, TfliteModels.load(BlazeDetector.Variant.PALM.modelFile));
        this.poseLandmarks = TfliteModels.load("pose_landmark_full.tflite");
        this.handLandmarks = TfliteModels.load("hand_landmark_full.tflite");
        this.segmentation = TfliteModels.load("selfie_segmentation.tflite");
    }

    /** The body of the person whose face is {@code face}, with the hands found; empty when no body is found. */
    public synchronized Optional<Body> analyze(Mat bgr, Face face) {
        Optional<PoseFit> pose = fitPose(bgr, face);
        if (pose.isEmpty()) {
            return Optional.empty();
        }
        Body withoutHands = new Body(pose.get().landmarks(), pose.get().presence(), List.of());
        if (!fitsFace(withoutHands, face)) {
            return Optional.empty();
        }
        return Optional.of(new Body(withoutHands.pose(), withoutHands.presence(), findHands(bgr, withoutHands)));
    }

    /**
     * Whether a pose can belong to this face: shoulders wider than the face and not above the jaw (raised shoulders
     * come up to a sixth of the face's height above the chin). On a close-up the pose model may place "shoulders" on
     * the cheeks, sure of them: half a face wide, more than half a face above the chin.
     */
    private static boolean fitsFace(Body body, Face face) {
        float highest = face.y() + face.height() * (1 - SHOULDERS_ABOVE_CHIN);
        return body.y(Body.LEFT_SHOULDER) > highest
                && body.y(Body.RIGHT_SHOULDER) > highest
                && body.shoulderWidth() > face.width();
    }

    /**
     * The probability that each pixel shows the person rather than the background, as an 8-bit mask of the image's
     * size (255 = person). The model squashes the whole image to its square input, so a square image suits it best.
     */
    public synchronized Mat personMask(Mat bgr) {
        float[] probabilities;
        try (Mat blob = blobFromImage(
                bgr,
                1 / 255.0,
                new Size(SEGMENTATION_INPUT, SEGMENTATION_INPUT),
                new Scalar(0, 0, 0, 0),
                true,
                false,
                CV_32F)) {
            probabilities = TfliteModels.forward(segmentation, blob)[0];
        }
        Mat mask = new Mat();
        try (Mat small = new Mat(SEGMENTATION_INPUT, SEGMENTATION_INPUT, CV_32F);
                Mat full = new Mat()) {
            new FloatPointer(small.ptr()).put(probabilities);
            resize(small, full, new Size(bgr.cols(), bgr.rows()), 0, 0, INTER_LINEAR);
            full.convertTo(mask, CV_8U, 255, 0);
        }
        return mask;
    }

    private record PoseFit(float[] landmarks, float[] auxiliary, float presence) {}

    /**
     * BlazePose's landmarks in the region of the person detection that holds the face (or, when the detector finds
     * no one, a region guessed from the face), fitted a second time in the region the first fit points to.
     */
    private Optional<PoseFit> fitPose(Mat bgr, Face face) {
        float faceSize = Math.max(face.width(), face.height());
        Optional<BlazeDetector.Detection> person = BlazeDetector.detect(bgr, poseDetector).stream()
                .min(Comparator.comparingDouble(
                        d -> Math.hypot(d.keypointX(2) - face.centerX(), d.keypointY(2) - face.centerY())
                                - (face.x() >= d.x0() && face.x() + face.width() <= d.x0() + d.w() ? 1e6 : 0)));
        float[] region;
        if (person.isPresent()) {
            BlazeDetector.Detection d = person.get();
            region = regionFromAxis(d.keypointX(0), d.keypointY(0), d.keypointX(1), d.keypointY(1));
        } else {
            // An upright half body: the hips about three face heights below the face, the body about eight tall.
            region = regionFromAxis(
                    face.centerX(), face.centerY() + 3 * faceSize, face.centerX(), face.centerY() - 1.5f * faceSize);
        }
        Optional<PoseFit> first = fitPoseIn(bgr, region);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        float[] aux = first.get().auxiliary();
        Optional<PoseFit> second = fitPoseIn(
                bgr,
                regionFromAxis(
                        aux[3 * (POSE_ROI_CENTER - Body.POSE_LANDMARK_COUNT)],
                        aux[3 * (POSE_ROI_CENTER - Body.POSE_LANDMARK_COUNT) + 1],
                        aux[3 * (POSE_ROI_CIRCLE - Body.POSE_LANDMARK_COUNT)],
                        aux[3 * (POSE_ROI_CIRCLE - Body.POSE_LANDMARK_COUNT) + 1]));
        return second.isPresent() ? second : first;
    }

    /**
     * A square region {cx, cy, side, degrees} from a body axis: centred on its first point, turned so the second
     * point is straight above it, as large as {@value #POSE_CROP_SCALE}× the distance between them.
     */
    private static float[] regionFromAxis(float x0, float y0, float x1, float y1) {
        float radius = (float) Math.hypot(x1 - x0, y1 - y0);
        return new float[] {x0, y0, radius * POSE_CROP_SCALE, (float) uprightDegrees(x1 - x0, y1 - y0)};
    }

    /** How far to turn a region counter-clockwise so that the direction (dx, dy) points up. */
    private static double uprightDegrees(float dx, float dy) {
        return Math.toDegrees(Math.atan2(dy, dx)) + 90;
    }

    private Optional<PoseFit> fitPoseIn(Mat bgr, float[] region) {
        if (!(region[2] > 1)) {
            return Optional.empty();
        }
        try (RotatedCrop crop = new RotatedCrop(bgr, region[0], region[1], region[2], region[3], POSE_INPUT);
                Mat blob = crop.blob()) {
            float[] raw = null;
            float presence = 0;
            for (float[] output : TfliteModels.forward(poseLandmarks, blob)) {
                if (output.length == POSE_OUTPUT_POINTS * POSE_OUTPUT_VALUES) {
                    raw = output;
                } else if (output.length == 1) {
                    presence = output[0]; // already a probability: the model ends in a logistic
                }
            }
            if (raw == null || presence < MIN_PRESENCE) {
                return Optional.empty();
            }
            float[] mapped = new float[POSE_OUTPUT_POINTS * Body.POSE_VALUES];
            crop.toImage(raw, POSE_OUTPUT_VALUES, mapped, Body.POSE_VALUES);
            float[] landmarks = new float[Body.POSE_LANDMARK_COUNT * Body.POSE_VALUES];
            float[] auxiliary = new float[(POSE_OUTPUT_POINTS - Body.POSE_LANDMARK_COUNT) * 3];
            for (int i = 0; i < POSE_OUTPUT_POINTS; i++) {
                if (i < Body.POSE_LANDMARK_COUNT) {
                    System.arraycopy(mapped, Body.POSE_VALUES * i, landmarks, Body.POSE_VALUES * i, 3);
                    // Visibility is a logit; so is presence, the chance the point is in the crop at all.
                    float visibility = BlazeDetector.sigmoid(raw[POSE_OUTPUT_VALUES * i + 3]);
                    float inCrop = BlazeDetector.sigmoid(raw[POSE_OUTPUT_VALUES * i + 4]);
                    landmarks[Body.POSE_VALUES * i + 3] = Math.min(visibility, inCrop);
                } else {
                    System.arraycopy(mapped, Body.POSE_VALUES * i, auxiliary, 3 * (i - Body.POSE_LANDMARK_COUNT), 3);
                }
            }
            return Optional.of(new PoseFit(landmarks, auxiliary, presence));
        }
    }

    /**
     * Hands from the palm detector on the whole image, each fitted twice (in the palm's region, then in the region
     * of its own landmarks); a hand found from two palms is kept once; each is named left or right by the pose wrist
     * nearest to it.
     */
    private List<Body.Hand> findHands(Mat bgr, Body pose) {
        List<BlazeDetector.Detection> palms = BlazeDetector.detect(bgr, palmDetector);
        List<Body.Hand> hands = new ArrayList<>();
        for (BlazeDetector.Detection palm : palms.subList(0, Math.min(MAX_PALMS, palms.size()))) {
            float dx = palm.keypointX(2) - palm.keypointX(0);
            float dy = palm.keypointY(2) - palm.keypointY(0);
            float length = (float) Math.hypot(dx, dy);
            if (!(length > 0)) {
                continue;
            }
            float shift = PALM_CROP_SHIFT * palm.h();
            float[] region = {
                palm.cx() + shift * dx / length,
                palm.cy() + shift * dy / length,
                Math.max(palm.w(), palm.h()) * PALM_CROP_SCALE,
                (float) uprightDegrees(dx, dy)
            };
            Optional<HandFit> first = fitHand(bgr, region);
            if (first.isEmpty()) {
                continue;
            }
            HandFit fit = fitHand(bgr, regionFromHand(first.get().landmarks())).orElse(first.get());
            if (Math.min(
                            wristDistance(fit.landmarks(), pose, Body.LEFT_WRIST),
                            wristDistance(fit.landmarks(), pose, Body.RIGHT_WRIST))
                    > MAX_WRIST_DISTANCE * pose.shoulderWidth()) {
                continue;
            }
            Body.Hand hand = new Body.Hand(
                    sideOf(fit.landmarks(), pose), fit.landmarks(), fit.presence(), inside(fit.landmarks(), bgr));
            if (hands.stream().noneMatch(h -> overlap(h.box(), hand.box()) > 0.5f)) {
                hands.add(hand);
            }
        }
        nameSidesApart(hands, pose);
        hands.sort(Comparator.comparing(Body.Hand::side));
        return List.copyOf(hands);
    }

    private record HandFit(float[] landmarks, float presence) {}

    private Optional<HandFit> fitHand(Mat bgr, float[] region) {
        if (!(region[2] > 1)) {
            return Optional.empty();
        }
        try (RotatedCrop crop = new RotatedCrop(bgr, region[0], region[1], region[2], region[3], HAND_INPUT);
                Mat blob = crop.blob()) {
            // The landmarks and the world landmarks have the same size, and so have presence and handedness: by name.
            Map<String, float[]> outputs = TfliteModels.forwardNamed(handLandmarks, blob);
            float[] raw = outputs.get("Identity");
            float[] presence = outputs.get("Identity_1");
            if (raw == null || presence == null) {
                throw new IllegalStateException("The hand landmark model's outputs are " + outputs.keySet());
            }
            if (presence[0] < MIN_PRESENCE) {
                return Optional.empty();
            }
            float[] landmarks = new float[Body.Hand.LANDMARK_COUNT * 3];
            crop.toImage(raw, 3, landmarks, 3);
            return Optional.of(new HandFit(landmarks, presence[0]));
        }
    }

    /**
     * MediaPipe's hand region from its landmarks: turned so the wrist → middle knuckle line points up, the landmarks'
     * box in that turned frame, enlarged and moved toward the fingers.
     */
    private static float[] regionFromHand(float[] landmarks) {
        float dx = landmarks[3 * HAND_MIDDLE_KNUCKLE] - landmarks[3 * HAND_WRIST];
        float dy = landmarks[3 * HAND_MIDDLE_KNUCKLE + 1] - landmarks[3 * HAND_WRIST + 1];
        double length = Math.hypot(dx, dy);
        if (!(length > 0)) {
            return new float[] {0, 0, 0, 0};
        }
        // Unit vectors of the turned frame: "up" toward the fingers, "right" across the hand.
        double upX = dx / length, upY = dy / length;
        double rightX = -upY, rightY = upX;
        double minU = Double.MAX_VALUE, maxU = -Double.MAX_VALUE, minV = Double.MAX_VALUE, maxV = -Double.MAX_VALUE;
        for (int i = 0; i < Body.Hand.LANDMARK_COUNT; i++) {
            double u = landmarks[3 * i] * rightX + landmarks[3 * i + 1] * rightY;
            double v = landmarks[3 * i] * upX + landmarks[3 * i + 1] * upY;
            minU = Math.min(minU, u);
            maxU = Math.max(maxU, u);
            minV = Math.min(minV, v);
            maxV = Math.max(maxV, v);
        }
        double centerU = (minU + maxU) / 2;
        double centerV = (minV + maxV) / 2 + HAND_CROP_SHIFT * (maxV - minV);
        return new float[] {
            (float) (centerU * rightX + centerV * upX),
            (float) (centerU * rightY + centerV * upY),
            (float) (Math.max(maxU - minU, maxV - minV) * HAND_CROP_SCALE),
            (float) uprightDegrees(dx, dy)
        };
    }

    /** The subject's hand whose pose wrist is nearer to this hand's wrist. */
    private static Body.Side sideOf(float[] hand, Body pose) {
        return wristDistance(hand, pose, Body.LEFT_WRIST) <= wristDistance(hand, pose, Body.RIGHT_WRIST)
                ? Body.Side.LEFT
                : Body.Side.RIGHT;
    }

    private static double wristDistance(float[] hand, Body pose, int wrist) {
        return Math.hypot(hand[0] - pose.x(wrist), hand[1] - pose.y(wrist));
    }

    /** Two hands named alike: the one farther from that wrist is the other hand. */
    private static void nameSidesApart(List<Body.Hand> hands, Body pose) {
        if (hands.size() > 2) {
            hands.sort(Comparator.comparingDouble(Body.Hand::presence).reversed());
            hands.subList(2, hands.size()).clear();
        }
        if (hands.size() == 2 && hands.get(0).side() == hands.get(1).side()) {
            Body.Side side = hands.get(0).side();
            int wrist = side == Body.Side.LEFT ? Body.LEFT_WRIST : Body.RIGHT_WRIST;
            int farther = wristDistance(hands.get(0).landmarks(), pose, wrist)
                            > wristDistance(hands.get(1).landmarks(), pose, wrist)
                    ? 0
                    : 1;
            Body.Hand h = hands.get(farther);
            hands.set(
                    farther,
                    new Body.Hand(
                            side == Body.Side.LEFT ? Body.Side.RIGHT : Body.Side.LEFT,
                            h.landmarks(),
                            h.presence(),
                            h.insideFraction()));
        }
    }

    private static float inside(float[] landmarks, Mat bgr) {
        int in = 0;
        for (int i = 0; i < Body.Hand.LANDMARK_COUNT; i++) {
            float x = landmarks[3 * i];
            float y = landmarks[3 * i + 1];
            if (x >= 0 && y >= 0 && x < bgr.cols() && y < bgr.rows()) {
                in++;
            }
        }
        return in / (float) Body.Hand.LANDMARK_COUNT;
    }

    /** Intersection over the smaller of two boxes {x0, y0, x1, y1}. */
    private static float overlap(float[] a, float[] b) {
        float ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        float iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        float smaller = Math.min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]));
        return smaller <= 0 ? 0 : ix * iy / smaller;
    }

    @Override
    public void close() {
        poseDetector.net().close();
        palmDetector.net().close();
        poseLandmarks.close();
        handLandmarks.close();
        segmentation.close();
    }
}
