package io.loopline.render.internals;

import io.loopline.tensor.Masks;
import java.util.ArrayList;
import java.util.List;

/**
 * CyberHost's body movement map, as render applies it: the weight (0-1) with which each pixel of a half-body frame
 * takes the renderer's output rather than the reference's own pixel. It covers the person, grown by
 * {@value #GROWTH} of the frame's width around the head for its travel and by {@value #BODY_GROWTH} elsewhere, with
 * soft edges — so the background stays exactly still whatever a pack does there — and leaves out the hands while
 * the pack does not animate them, which keeps them as sharp as in the reference, except where they touch the face.
 * A pack that moves the forearms and hands gets their reach instead ({@link #withMovingArms}).
 */
public final class MovementMap {

    /** How far beyond the person mask the head may travel, as a share of the frame's width. */
    static final double GROWTH = 0.06;
    /** How far beyond it the rest of the body may (breathing lifts the shoulders and chest a little). */
    static final double BODY_GROWTH = 0.02;
    /** The head's surroundings: the face box grown by this many face heights. */
    static final double HEAD_ROOM = 1.0;
    /** The soft edge's half width, as a share of the frame's width. */
    static final double SOFTNESS = 0.015;
    /** The face's box, grown by this many face heights, moves even where a still hand overlaps it. */
    static final double FACE_MARGIN = 0.15;
    /** A hand's box is left out with this much room around it, as a share of the box's larger side. */
    static final double HAND_ROOM = 0.15;
    /** An arm's reach beyond its box (elbow, wrist, hand), as a share of the box's diagonal. */
    static final double ARM_REACH = 0.3;
    /**
     * A hand whose centre is within its half diagonal plus this many face heights of the chin rests on the face:
     * the reference pack holds it completely (BodyRig), and so does the map.
     */
    static final double AT_FACE = 0.4;

    private final float[] weights;

    private MovementMap(float[] weights) {
        this.weights = weights;
    }

    /**
     * @param personMask 8-bit, {@code width × height}, 255 where the person is
     * @param faceBox the face's box {x0, y0, x1, y1}
     * @param stillBoxes boxes {x0, y0, x1, y1} that keep the reference's pixels (hands a pack does not move)
     */
    public static MovementMap of(byte[] personMask, int width, int height, float[] faceBox, List<float[]> stillBoxes) {
        return of(personMask, width, height, faceBox, stillBoxes, List.of());
    }

    /**
     * The map of a pack that moves the forearms and hands: only a hand at the face is kept still (the pack does not
     * move it), and each arm's reach — a box
     * around its elbow, wrist and hand, grown by {@value #ARM_REACH} of the forearm and hand's length (the most a
     * forearm turns or lifts, with room to spare) — may move beyond the person mask.
     *
     * @param pose the pose's 33 landmarks × (x, y, z, visibility)
     * @param handBoxes the hands' boxes {x0, y0, x1, y1}
     */
    public static MovementMap withMovingArms(
            byte[] personMask, int width, int height, float[] faceBox, float[] pose, List<float[]> handBoxes) {
        // A hand at the face is not moved by the pack (it would pull the face along): it stays as it is, like the
        // hands of a pack that moves none.
        float faceHeight = faceBox[3] - faceBox[1];
        List<float[]> still = new ArrayList<>();
        List<float[]> free = new ArrayList<>();
        for (float[] hand : handBoxes) {
            double radius = Math.hypot(hand[2] - hand[0], hand[3] - hand[1]) / 2;
            double fromChin = Math.hypot(
                    (hand[0] + hand[2]) / 2 - (faceBox[0] + faceBox[2]) / 2, (hand[1] + hand[3]) / 2 - faceBox[3]);
            (fromChin < radius + AT_FACE * faceHeight ? still : free).add(hand);
        }
        List<float[]> reach = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            int elbow = 13 + side;
            int wrist = 15 + side;
            if (Math.min(pose[elbow * 4 + 3], pose[wrist * 4 + 3]) <= 0.3f) {
                continue; // the renderer leaves an arm it cannot see where it is
            }
            float[] box = {pose[elbow * 4], pose[elbow * 4 + 1], pose[elbow * 4], pose[elbow * 4 + 1]};
            for (int point = wrist; point <= 21 + side; point += 2) {
                if (pose[point * 4 + 3] > 0.3f) {
                    include(box, pose[point * 4], pose[point * 4 + 1]);
                }
            }
            float wx = pose[wrist * 4];
            float wy = pose[wrist * 4 + 1];
            for (float[] hand : free) {
                double size = Math.max(hand[2] - hand[0], hand[3] - hand[1]);
                if (Math.hypot((hand[0] + hand[2]) / 2 - wx, (hand[1] + hand[3]) / 2 - wy) < 1.5 * size) {
                    include(box, hand[0], hand[1]);
                    include(box, hand[2], hand[3]);
                }
            }
            reach.add(box);
        }
        return of(personMask, width, height, faceBox, still, reach);
    }

    /** Marks the box {x0, y0, x1, y1} grown by {@code margin} pixels on every side. */
    private static void fillAround(boolean[] region, int width, int height, float[] box, double margin) {
        Masks.fill(region, width, height, box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin);
    }

    private static void include(float[] box, float x, float y) {
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x);
        box[3] = Math.max(box[3], y);
    }

    private static MovementMap of(
            byte[] personMask,
            int width,
            int height,
            float[] faceBox,
            List<float[]> stillBoxes,
            List<float[]> reachBoxes) {
        int radius = Math.max(1, (int) Math.round(SOFTNESS * width));
        boolean[] person = Masks.person(personMask);
        // Grown by the soft edge's width too, so the weight is 1 wherever the person may be.
        boolean[] reach = Masks.grow(person, width, height, (int) Math.ceil(BODY_GROWTH * width) + radius);
        boolean[] headReach = Masks.grow(person, width, height, (int) Math.ceil(GROWTH * width) + radius);
        boolean[] nearHead = new boolean[width * height];
        fillAround(nearHead, width, height, faceBox, HEAD_ROOM * (faceBox[3] - faceBox[1]));
        boolean[] arms = new boolean[width * height];
        for (float[] box : reachBoxes) {
            fillAround(arms, width, height, box, ARM_REACH * Math.hypot(box[2] - box[0], box[3] - box[1]));
        }
        for (int p = 0; p < reach.length; p++) {
            reach[p] |= (nearHead[p] && headReach[p]) || arms[p];
        }
        float[] moving = Masks.soften(reach, width, height, radius);
        if (!stillBoxes.isEmpty()) {
            boolean[] still = new boolean[width * height];
            for (float[] box : stillBoxes) {
                fillAround(still, width, height, box, HAND_ROOM * Math.max(box[2] - box[0], box[3] - box[1]));
            }
            float[] keep = Masks.soften(still, width, height, radius);
            // The face always moves, a hand that touches it included: a chin held still under a moving jaw breaks
            // the mouth (seen on a hand-on-chin painting: silent lips 0.28 -> 0.56).
            boolean[] face = new boolean[width * height];
            fillAround(face, width, height, faceBox, FACE_MARGIN * (faceBox[3] - faceBox[1]));
            float[] faceWeight = Masks.soften(face, width, height, radius);
            for (int p = 0; p < moving.length; p++) {
                moving[p] = Math.max(Math.min(moving[p], 1 - keep[p]), faceWeight[p]);
            }
        }
        return new MovementMap(moving);
    }

    /** The weight of pixel p (y · width + x). */
    public float weight(int p) {
        return weights[p];
    }

    /**
     * Blends frames [3, count, height, width] toward the reference [3, height, width] where the map says nothing
     * moves: {@code frame = reference + weight · (frame − reference)}; pixels of weight 1 are left untouched.
     */
    public void keepStill(float[] frames, int count, float[] reference) {
        int pixels = weights.length;
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < count; f++) {
                int frameBase = (c * count + f) * pixels;
                int referenceBase = c * pixels;
                for (int p = 0; p < pixels; p++) {
                    float w = weights[p];
                    if (w < 1) {
                        float r = reference[referenceBase + p];
                        frames[frameBase + p] = r + w * (frames[frameBase + p] - r);
                    }
                }
            }
        }
    }
}
