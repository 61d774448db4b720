package io.loopline.render.internals;

import io.loopline.tensor.Masks;
import java.util.List;

/**
 * CyberHost's body movement map, as render applies it: the weight (0-1) with which each pixel of a half-body frame
 * takes the renderer's output rather than the reference's own pixel. It covers the person, grown by
 * {@value #GROWTH} of the frame's width around the head for its travel and by {@value #BODY_GROWTH} elsewhere, with
 * soft edges — so the background stays exactly still whatever a pack does there — and leaves out the hands while
 * the pack does not animate them, which keeps them as sharp as in the reference, except where they touch the face.
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
        int radius = Math.max(1, (int) Math.round(SOFTNESS * width));
        boolean[] person = Masks.person(personMask);
        // Grown by the soft edge's width too, so the weight is 1 wherever the person may be.
        boolean[] reach = Masks.grow(person, width, height, (int) Math.ceil(BODY_GROWTH * width) + radius);
        boolean[] headReach = Masks.grow(person, width, height, (int) Math.ceil(GROWTH * width) + radius);
        boolean[] nearHead = new boolean[width * height];
        double room = HEAD_ROOM * (faceBox[3] - faceBox[1]);
        Masks.fill(nearHead, width, height, faceBox[0] - room, faceBox[1] - room, faceBox[2] + room, faceBox[3] + room);
        for (int p = 0; p < reach.length; p++) {
            reach[p] |= nearHead[p] && headReach[p];
        }
        float[] moving = Masks.soften(reach, width, height, radius);
        if (!stillBoxes.isEmpty()) {
            boolean[] still = new boolean[width * height];
            for (float[] box : stillBoxes) {
                double handRoom = HAND_ROOM * Math.max(box[2] - box[0], box[3] - box[1]);
                Masks.fill(
                        still,
                        width,
                        height,
                        box[0] - handRoom,
                        box[1] - handRoom,
                        box[2] + handRoom,
                        box[3] + handRoom);
            }
            float[] keep = Masks.soften(still, width, height, radius);
            // The face always moves, a hand that touches it included: a chin held still under a moving jaw breaks
            // the mouth (seen on a hand-on-chin painting: silent lips 0.28 -> 0.56).
            boolean[] face = new boolean[width * height];
            double margin = FACE_MARGIN * (faceBox[3] - faceBox[1]);
            Masks.fill(
                    face,
                    width,
                    height,
                    faceBox[0] - margin,
                    faceBox[1] - margin,
                    faceBox[2] + margin,
                    faceBox[3] + margin);
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
