package io.loopline.ingest.internals;

import io.loopline.tensor.Landmarks;
import java.util.List;
import java.util.Optional;

/**
 * A person's body as found by {@link BodyAnalyzer}, in image pixels: BlazePose's 33 landmarks and the hands whose
 * 21 landmarks were fitted.
 *
 * @param pose 33 × (x, y, z, visibility): MediaPipe's pose landmark order (11/12 shoulders, 13/14 elbows, 15/16
 *     wrists, 23/24 hips; odd indices the subject's left side); z on x's scale, relative to the hips; visibility in
 *     [0, 1]
 * @param presence the pose model's confidence that a person is in its crop, in [0, 1]
 */
public record Body(float[] pose, float presence, List<Hand> hands) {

    public static final int POSE_LANDMARK_COUNT = 33;
    public static final int POSE_VALUES = 4;
    public static final int LEFT_SHOULDER = 11;
    public static final int RIGHT_SHOULDER = 12;
    public static final int LEFT_ELBOW = 13;
    public static final int RIGHT_ELBOW = 14;
    public static final int LEFT_WRIST = 15;
    public static final int RIGHT_WRIST = 16;
    public static final int LEFT_HIP = 23;
    public static final int RIGHT_HIP = 24;

    /** A pose landmark counts as seen when the model gives it at least this visibility. */
    static final float MIN_VISIBILITY = 0.5f;

    /** Which of the subject's hands (not which side of the image). */
    public enum Side {
        LEFT,
        RIGHT
    }

    /**
     * @param landmarks 21 × (x, y, z): wrist 0, thumb 1–4, index 5–8, middle 9–12, ring 13–16, pinky 17–20
     * @param presence the hand model's confidence, in [0, 1]
     * @param insideFraction the share of its landmarks inside the image (below 1: cut off by the frame)
     */
    public record Hand(Side side, float[] landmarks, float presence, float insideFraction) {
        public static final int LANDMARK_COUNT = 21;

        /** {min x, min y, max x, max y} of the landmarks. */
        public float[] box() {
            return Landmarks.bounds(landmarks);
        }
    }

    public float x(int landmark) {
        return pose[POSE_VALUES * landmark];
    }

    public float y(int landmark) {
        return pose[POSE_VALUES * landmark + 1];
    }

    public float visibility(int landmark) {
        return pose[POSE_VALUES * landmark + 3];
    }

    /** Whether a pose landmark is seen and lies inside a {@code width} × {@code height} image. */
    public boolean sees(int landmark, int width, int height) {
        float x = x(landmark);
        float y = y(landmark);
        return visibility(landmark) >= MIN_VISIBILITY && x >= 0 && y >= 0 && x < width && y < height;
    }

    /** Both shoulders seen inside the image: enough torso to animate shoulders and arms. */
    public boolean torsoVisible(int width, int height) {
        return presence >= MIN_VISIBILITY && sees(LEFT_SHOULDER, width, height) && sees(RIGHT_SHOULDER, width, height);
    }

    /** The hands found whole inside the image. */
    public List<Hand> wholeHands() {
        return hands.stream().filter(h -> h.insideFraction() >= 1f).toList();
    }

    public Optional<Hand> hand(Side side) {
        return hands.stream().filter(h -> h.side() == side).findFirst();
    }

    /** The shoulder line's length in pixels. */
    public float shoulderWidth() {
        return (float) Math.hypot(x(LEFT_SHOULDER) - x(RIGHT_SHOULDER), y(LEFT_SHOULDER) - y(RIGHT_SHOULDER));
    }
}
