package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import java.util.List;

/**
 * The reference denoiser's skeleton-driven body warp (CyberHost's half body), as a deformation field on the coarse
 * grid. Each forearm turns about its elbow so that the hand rises ({@link Motion#ARM_LEFT}, {@link
 * Motion#ARM_RIGHT}); the moving region is a soft capsule from the elbow to the far side of the hand, whose edge falls
 * off over more than the hand travels, so that what surrounds the arm is stretched with it rather than folded over.
 * The hand goes with the forearm's end, upright, and dips on a beat's stroke ({@link Motion#WRIST_LEFT}, {@link
 * Motion#WRIST_RIGHT}): it is shifted as a whole, by whole pixels ({@link #wholeHands}), so that it stays as sharp as
 * in the reference (CyberHost's concern). Hands close together (clasped) move as one; a hand at the face does not
 * move. The shoulders rise ({@link Motion#SHOULDERS}) and the torso tilts ({@link Motion#LEAN}) from the base of the
 * neck down.
 *
 * <p>Inputs: {@code pose} [B, 33, 4] (BlazePose: x, y in reference pixels, z, visibility) and {@code hands} [B, 2,
 * 21, 3] (the subject's left hand, then right; all zeros for a hand not found). A portrait has no body: all zeros,
 * and then every displacement here is exactly zero.
 */
final class BodyRig {

    /** The forearm's largest turn about the elbow, radians (about 13°): enough to read, little background uncovered. */
    static final float ARM_TURN = 0.22f;
    /** The hand's dip on a beat's stroke, as a share of its radius. */
    static final float WRIST_DIP = 0.2f;
    /** A forearm that hangs straight cannot rise by turning in the picture; its hand lifts by this share of it. */
    static final float HANGING_LIFT = 0.08f;
    /** The shoulders' largest rise, in face heights. */
    static final float SHOULDER_LIFT = 0.025f;

    private static final int LEFT_ELBOW = 13;
    private static final int LEFT_WRIST = 15;
    /** Pinky, index and thumb knuckles of the left hand in BlazePose (the right's are one more). */
    private static final long[] LEFT_HAND_POINTS = {15, 17, 19, 21};

    private final GraphBuilder g;
    private final String pose;
    private final String hands;
    private final String motion;
    /** [B]: 1 where the batch item has a body, exactly 0 where it has none. */
    private final String present;

    private final String faceSize;
    private final String chinX;
    private final String chinY;

    /**
     * @param faceSize the face's height [B]
     * @param chinX the chin [B], with {@code chinY}: a hand this close to the face is not moved (it would pull the
     *     face with it), nor is anything of the head ({@code headMask} in the denoiser)
     */
    BodyRig(GraphBuilder g, String pose, String hands, String motion, String faceSize, String chinX, String chinY) {
        this.g = g;
        this.pose = pose;
        this.hands = hands;
        this.motion = motion;
        this.faceSize = faceSize;
        this.chinX = chinX;
        this.chinY = chinY;
        this.present = anyNonZero(pose);
    }

    /**
     * The arms' and hands' displacement {x, y} [B, F, h, w] at coarse pixel centres xs [w], ys [h] of a frame
     * {@code width × height} pixels (float scalars), nothing of the head ({@code headMask} [B, 1, h, w], 1 on the
     * head) moved, and where the hands are. Call {@link #wholeHands} with them on the sum of every displacement.
     */
    Arms arms(String xs, String ys, String width, String height, String headMask) {
        Arm left = arm(0);
        Arm right = arm(1);
        // Clasped hands: near each other, both take the mean of the two arms' motion so that they stay together.
        String apart = g.op("Sqrt", g.add(square(g.sub(left.cx, right.cx)), square(g.sub(left.cy, right.cy)))); // [B]
        String reach = g.add(left.radius, right.radius);
        String together = g.mul(
                g.mul(left.active, right.active),
                g.clip(g.div(g.sub(g.mul(reach, g.scalar(1.2f)), apart), g.mul(reach, g.scalar(0.4f))), 0f, 1f));
        String t = g.unsqueeze(together, 1); // [B,1]
        String armL = channel(Motion.ARM_LEFT);
        String armR = channel(Motion.ARM_RIGHT);
        String wristL = channel(Motion.WRIST_LEFT);
        String wristR = channel(Motion.WRIST_RIGHT);
        String armMean = g.mul(g.add(armL, armR), g.scalar(0.5f));
        String wristMean = g.mul(g.add(wristL, wristR), g.scalar(0.5f));
        // Towards the frame's edges the motion fades, so that what lies between a hand and the edge is squeezed rather
        // than filled with the edge's pixels repeated (there is nothing beyond the frame to bring in).
        String x = g.unsqueeze(xs, 0);
        String y = g.unsqueeze(ys, 1);
        String edge = g.op(
                "Min",
                g.op("Min", x, g.sub(g.sub(width, g.scalar(1f)), x)),
                g.op("Min", y, g.sub(g.sub(height, g.scalar(1f)), y))); // [h,w]: pixels to the nearest edge
        String[] l = left.flow(xs, ys, mix(armL, armMean, t), mix(wristL, wristMean, t), edge, width, height);
        String[] r = right.flow(xs, ys, mix(armR, armMean, t), mix(wristR, wristMean, t), edge, width, height);
        String body = g.sub(g.scalar(1f), headMask);
        // Where the two regions overlap, their displacements are averaged rather than added.
        String norm = g.op("Max", g.add(l[2], r[2]), g.scalar(1f));
        return new Arms(
                g.mul(g.div(g.add(l[0], r[0]), norm), body),
                g.mul(g.div(g.add(l[1], r[1]), norm), body),
                new String[] {g.mul(l[3], body), g.mul(r[3], body)},
                new Arm[] {left, right},
                together);
    }

    /**
     * The arms' displacement {@code x}, {@code y} [B, F, h, w]; each hand's region ({@code cores}, [B, F, h, w], the
     * subject's left first) and geometry ({@code hands}); and where the two hands are together (clasped, [B]) and
     * move as one.
     */
    record Arms(String x, String y, String[] cores, Arm[] hands, String together) {}

    /**
     * The whole displacement {x, y} [B, F, h, w] with each hand moved as one piece by whole pixels: inside a
     * hand's region the displacement is its value at the hand's centre, rounded, and it blends back into the
     * smooth field over the region's edge. Copied rather than resampled, a hand stays as sharp as in the
     * reference; a portrait's displacement comes back exactly as it went in.
     */
    String[] wholeHands(Arms arms, String flowX, String flowY, String dimHc, String dimWc) {
        String[] out = {flowX, flowY};
        String[] handCores = arms.cores();
        String cores = g.op("Min", g.add(handCores[0], handCores[1]), g.scalar(1f)); // [B,F,h,w]
        String share = g.op("Max", g.add(handCores[0], handCores[1]), g.scalar(1f));
        // Each hand's centre on the coarse grid, as indices into a flattened [B, F, h·w] field: [B, F, 1].
        String flatShape = g.concat(0, g.longs(0, 0), g.longs(-1));
        String frames = g.gather(g.op("Shape", flowX), g.longs(0, 1), 0); // [B, F]
        String[] centres = new String[2];
        for (int side = 0; side < 2; side++) {
            Arm arm = arms.hands()[side];
            String index = g.add(g.mul(coarseIndex(arm.cy, dimHc), g.squeeze(dimWc, 0)), coarseIndex(arm.cx, dimWc));
            centres[side] = g.op("Expand", g.unsqueeze(index, 1, 2), g.concat(0, frames, g.longs(1)));
        }
        String t = g.unsqueeze(arms.together(), 1, 2);
        for (int axis = 0; axis < 2; axis++) {
            String flow = out[axis];
            String flat = g.reshape(flow, flatShape); // [B,F,h·w]
            String[] atCentres = new String[2];
            for (int side = 0; side < 2; side++) {
                atCentres[side] =
                        g.op("GatherElements", List.of(flat, centres[side]), null, Attribute.of("axis", 2L)); // [B,F,1]
            }
            // Hands together share one shift, so that no part of them is caught between two.
            String mean = g.mul(g.add(atCentres[0], atCentres[1]), g.scalar(0.5f));
            String target = g.mul(flow, g.scalar(0f));
            for (int side = 0; side < 2; side++) {
                String shift = g.op("Round", mix(atCentres[side], mean, t));
                target = g.add(target, g.mul(handCores[side], g.unsqueeze(shift, 3)));
            }
            out[axis] = g.add(g.mul(flow, g.sub(g.scalar(1f), cores)), g.div(target, share));
        }
        return out;
    }

    /** The coarse grid's index nearest to a pixel coordinate [B] (coarse centres at 4i + 1.5), as int64, kept inside. */
    private String coarseIndex(String coordinate, String count) {
        String index = g.op("Round", g.div(g.sub(coordinate, g.scalar(1.5f)), g.scalar(4f)));
        String asLong = g.op("Cast", List.of(index), null, Attribute.of("to", 7L));
        return g.op("Min", g.op("Max", asLong, g.longScalar(0)), g.sub(g.squeeze(count, 0), g.longScalar(1)));
    }

    /**
     * The torso's displacement {x, y} [B, F, h, w]: shoulders rising and a tilt about a point three face heights
     * below the chin ({@code chinY} [B, 1, 1, 1]), from the base of the neck down, nothing of the head ({@code
     * headMask} [B, 1, h, w]).
     */
    String[] torso(String xs, String ys, String headMask, String faceSize, String chinY) {
        String on = g.unsqueeze(present, 1, 2, 3); // [B,1,1,1]
        String s4 = g.unsqueeze(faceSize, 1, 2, 3);
        // From the base of the neck down, and never the head: a chin carried by the torso would slide under the mouth.
        String below = g.mul(
                g.op(
                        "Sigmoid",
                        g.div(
                                g.sub(g.unsqueeze(ys, 0, 1, 3), g.add(chinY, g.mul(s4, g.scalar(0.45f)))),
                                g.mul(s4, g.scalar(0.1f)))),
                g.sub(g.scalar(1f), headMask)); // [B,1,h,w]
        String lift = g.mul(
                g.mul(g.unsqueeze(channel(Motion.SHOULDERS), 2, 3), g.mul(s4, g.scalar(-SHOULDER_LIFT))),
                g.mul(below, on));
        String pivotX = g.unsqueeze(
                g.mul(g.add(coordinate(11, 0), coordinate(12, 0)), g.scalar(0.5f)), 1, 2, 3); // between the shoulders
        String pivotY = g.add(chinY, g.mul(s4, g.scalar(3f)));
        String lean = g.unsqueeze(channel(Motion.LEAN), 2, 3); // [B,F,1,1]
        String rx = g.sub(g.unsqueeze(xs, 0, 1, 2), pivotX); // [B,1,1,w]
        String ry = g.sub(g.unsqueeze(ys, 0, 1, 3), pivotY); // [B,1,h,1]
        String cos = g.op("Cos", lean);
        String sin = g.op("Sin", lean);
        // Where each pixel comes from, turned back by the tilt: p − q.
        String dx = g.sub(rx, g.add(g.mul(cos, rx), g.mul(sin, ry)));
        String dy = g.sub(ry, g.sub(g.mul(cos, ry), g.mul(sin, rx)));
        String weight = g.mul(below, on);
        return new String[] {g.mul(dx, weight), g.add(g.mul(dy, weight), lift)};
    }

    /**
     * One arm's geometry, [B] each: elbow, wrist, hand centre and radius, and how much it may move (0: not seen).
     */
    private final class Arm {
        final String ex;
        final String ey;
        final String wx;
        final String wy;
        final String cx;
        final String cy;
        final String radius;
        final String active;

        Arm(String ex, String ey, String wx, String wy, String cx, String cy, String radius, String active) {
            this.ex = ex;
            this.ey = ey;
            this.wx = wx;
            this.wy = wy;
            this.cx = cx;
            this.cy = cy;
            this.radius = radius;
            this.active = active;
        }

        /**
         * {x, y, weight, hand} [B, F, h, w]: the displacement, the moving region's weight and the hand's. Weights are
         * taken where each pixel is and fall off over 0.8 of the hand's radius, more than the farthest a hand
         * travels, so that what surrounds an arm is stretched with it and never folded over (which would show the
         * arm twice).
         */
        String[] flow(String xs, String ys, String arm, String wrist, String edge, String width, String height) {
            // The hand rises: its centre turns about the elbow towards the top of the picture.
            String vx = g.sub(cx, ex);
            String vy = g.sub(cy, ey);
            String length = g.op("Max", g.op("Sqrt", g.add(square(vx), square(vy))), g.scalar(1f));
            String direction = g.op("Neg", g.op("Tanh", g.div(vx, g.mul(length, g.scalar(0.1f))))); // [B]
            // A hand near the frame's edge moves less: what lies between it and the edge is stretched over the gap as
            // it moves, and the gap should stay at least 2.5 times the hand's largest travel (about 0.3 of the
            // forearm).
            String gap = g.op(
                    "Min",
                    g.op("Min", g.sub(cx, radius), g.sub(g.sub(width, g.scalar(1f)), g.add(cx, radius))),
                    g.op("Min", g.sub(cy, radius), g.sub(g.sub(height, g.scalar(1f)), g.add(cy, radius))));
            String room = g.clip(g.div(gap, g.mul(length, g.scalar(2.5f * 0.3f))), 0.2f, 1f);
            String amplitude = g.mul(active, room); // [B]
            String a = g.unsqueeze(g.mul(amplitude, direction), 1); // [B,1]
            String turn = g.unsqueeze(g.mul(g.mul(arm, a), g.scalar(ARM_TURN)), 2, 3); // [B,F,1,1]
            String hanging = g.sub(g.scalar(1f), g.op("Abs", direction));
            String lift = g.unsqueeze(
                    g.mul(g.mul(arm, g.unsqueeze(g.mul(g.mul(amplitude, hanging), length), 1)), g.scalar(HANGING_LIFT)),
                    2,
                    3); // [B,F,1,1]
            String ex4 = g.unsqueeze(ex, 1, 2, 3);
            String ey4 = g.unsqueeze(ey, 1, 2, 3);
            String x = g.unsqueeze(xs, 0, 1, 2); // [1,1,1,w]
            String y = g.unsqueeze(ys, 0, 1, 3); // [1,1,h,1]
            String rx = g.sub(x, ex4);
            String ry = g.sub(y, ey4);
            String cos = g.op("Cos", turn);
            String sin = g.op("Sin", turn);
            // The forearm: each pixel comes from where the turn about the elbow (and the lift) brought it from.
            String forearmX = g.sub(rx, g.add(g.mul(cos, rx), g.mul(sin, ry)));
            String forearmY = g.sub(g.sub(ry, g.sub(g.mul(cos, ry), g.mul(sin, rx))), lift);
            // The hand: shifted with the forearm's end, upright, dipping on a beat's stroke.
            String vx4 = g.unsqueeze(vx, 1, 2, 3);
            String vy4 = g.unsqueeze(vy, 1, 2, 3);
            String r4 = g.unsqueeze(radius, 1, 2, 3);
            String dip = g.unsqueeze(g.mul(g.mul(wrist, g.unsqueeze(amplitude, 1)), g.scalar(WRIST_DIP)), 2, 3);
            String shiftX = g.sub(g.sub(g.mul(cos, vx4), g.mul(sin, vy4)), vx4); // [B,F,1,1]
            String shiftY = g.add(g.sub(g.sub(g.add(g.mul(sin, vx4), g.mul(cos, vy4)), vy4), lift), g.mul(dip, r4));
            // The forearm's region: a capsule from the elbow to the hand's far side, thinner at the elbow.
            String ux = g.div(vx4, g.unsqueeze(length, 1, 2, 3));
            String uy = g.div(vy4, g.unsqueeze(length, 1, 2, 3));
            String cx4 = g.unsqueeze(cx, 1, 2, 3);
            String cy4 = g.unsqueeze(cy, 1, 2, 3);
            String sx = g.sub(g.add(cx4, g.mul(ux, r4)), ex4);
            String sy = g.sub(g.add(cy4, g.mul(uy, r4)), ey4);
            String along = g.clip(
                    g.div(g.add(g.mul(rx, sx), g.mul(ry, sy)), g.add(g.add(square(sx), square(sy)), g.scalar(1f))),
                    0f,
                    1f);
            String distance = g.op(
                    "Sqrt",
                    g.add(
                            g.add(square(g.sub(rx, g.mul(along, sx))), square(g.sub(ry, g.mul(along, sy)))),
                            g.scalar(1e-6f)));
            String thickness = g.mul(r4, g.add(g.scalar(0.6f), g.mul(along, g.scalar(0.4f))));
            String falloff = g.mul(r4, g.scalar(0.8f));
            // Regions are whole wherever the arm moves at all (its amplitude carries how much): a hand's region
            // that is only partly there would leave the hand partly resampled.
            String moving = g.unsqueeze(
                    g.op("Cast", List.of(g.op("Greater", active, g.scalar(0.01f))), null, Attribute.of("to", 1L)),
                    1,
                    2,
                    3); // [B,1,1,1]
            String on = g.mul(moving, smoothstep(g.div(edge, falloff))); // [B,1,h,w]
            String capsule = g.mul(smoothstep(g.div(g.sub(g.add(thickness, falloff), distance), falloff)), on);
            // The hand's region: around the middle of where it was and where it goes, as large as both.
            String midX = g.add(cx4, g.mul(shiftX, g.scalar(0.5f)));
            String midY = g.add(cy4, g.mul(shiftY, g.scalar(0.5f)));
            String inner = g.add(
                    g.mul(r4, g.scalar(1.3f)),
                    g.mul(g.op("Sqrt", g.add(square(shiftX), square(shiftY))), g.scalar(0.5f)));
            String handDistance =
                    g.op("Sqrt", g.add(g.add(square(g.sub(x, midX)), square(g.sub(y, midY))), g.scalar(1e-6f)));
            // Not faded at the frame's edge, unlike the forearm: a hand moves as one piece (its motion is sized to its
            // room instead).
            String hand = g.mul(smoothstep(g.div(g.sub(g.add(inner, falloff), handDistance), falloff)), moving);
            String weight = g.op("Max", capsule, hand);
            String rest = g.sub(g.scalar(1f), hand);
            String flowX = g.mul(weight, g.add(g.mul(rest, forearmX), g.mul(hand, shiftX)));
            String flowY = g.mul(weight, g.add(g.mul(rest, forearmY), g.mul(hand, shiftY)));
            return new String[] {flowX, flowY, weight, hand};
        }
    }

    /**
     * Side 0 (the subject's left) or 1: the elbow, the hand's centre and radius — from its 21 landmarks when the
     * hand was found, else from the pose's wrist and knuckles — and how much the arm may move: the pose's
     * confidence in elbow and wrist, 0 without a body.
     */
    private Arm arm(int side) {
        String ex = coordinate(LEFT_ELBOW + side, 0);
        String ey = coordinate(LEFT_ELBOW + side, 1);
        String visibility = g.op("Min", coordinate(LEFT_ELBOW + side, 3), coordinate(LEFT_WRIST + side, 3));
        String active = g.mul(g.clip(g.div(g.sub(visibility, g.scalar(0.3f)), g.scalar(0.4f)), 0f, 1f), present);

        String hand = g.gather(hands, g.longScalar(side), 1); // [B,21,3]
        String found = anyNonZero(hand); // [B]
        String[] fromHand = circle(g.gather(hand, g.longScalar(0), 2), g.gather(hand, g.longScalar(1), 2), 1.15f);
        long[] knuckles = new long[LEFT_HAND_POINTS.length];
        for (int i = 0; i < knuckles.length; i++) {
            knuckles[i] = LEFT_HAND_POINTS[i] + side;
        }
        String points = g.gather(pose, g.longs(knuckles), 1); // [B,4,4]
        String[] fromPose = circle(g.gather(points, g.longScalar(0), 2), g.gather(points, g.longScalar(1), 2), 1.8f);
        String lost = g.sub(g.scalar(1f), found);
        String cx = g.add(g.mul(found, fromHand[0]), g.mul(lost, fromPose[0]));
        String cy = g.add(g.mul(found, fromHand[1]), g.mul(lost, fromPose[1]));
        String radius = g.op("Max", g.add(g.mul(found, fromHand[2]), g.mul(lost, fromPose[2])), g.scalar(2f));
        // A hand at the face (on the chin, at the cheek) stays: moving it would pull the face along.
        String fromChin = g.op("Sqrt", g.add(square(g.sub(cx, chinX)), square(g.sub(cy, chinY))));
        String nearFace = g.clip(
                g.div(g.sub(g.add(radius, g.mul(faceSize, g.scalar(0.8f))), fromChin), g.mul(faceSize, g.scalar(0.4f))),
                0f,
                1f);
        return new Arm(
                ex,
                ey,
                coordinate(LEFT_WRIST + side, 0),
                coordinate(LEFT_WRIST + side, 1),
                cx,
                cy,
                radius,
                g.mul(active, g.sub(g.scalar(1f), nearFace)));
    }

    /** The centre {x, y} and radius (the farthest point's distance × {@code grow}) of points xs, ys [B, N]. */
    private String[] circle(String px, String py, float grow) {
        String cx = g.reduce("ReduceMean", px, false, 1);
        String cy = g.reduce("ReduceMean", py, false, 1);
        String d = g.op("Sqrt", g.add(square(g.sub(px, g.unsqueeze(cx, 1))), square(g.sub(py, g.unsqueeze(cy, 1)))));
        return new String[] {cx, cy, g.mul(g.reduce("ReduceMax", d, false, 1), g.scalar(grow))};
    }

    /** [B]: 1 where the batch item's [B, N, K] values are not all zero, else exactly 0. */
    private String anyNonZero(String x) {
        return g.op(
                "Cast",
                List.of(g.op("Greater", g.reduce("ReduceSum", g.op("Abs", x), false, 1, 2), g.scalar(0f))),
                null,
                Attribute.of("to", 1L));
    }

    /** Pose landmark {@code index}'s value {@code axis} (0 x, 1 y, 3 visibility), [B]. */
    private String coordinate(int index, int axis) {
        return g.gather(g.gather(pose, g.longScalar(index), 1), g.longScalar(axis), 1);
    }

    private String channel(int index) {
        return g.gather(motion, g.longScalar(index), 2); // [B,F]
    }

    /** 3t² − 2t³ of t clipped to [0, 1]: 0 below 0, 1 above 1, smooth in between. */
    private String smoothstep(String t) {
        String c = g.clip(t, 0f, 1f);
        return g.mul(g.mul(c, c), g.sub(g.scalar(3f), g.mul(c, g.scalar(2f))));
    }

    private String mix(String a, String b, String t) {
        return g.add(a, g.mul(t, g.sub(b, a)));
    }

    private String square(String x) {
        return g.mul(x, x);
    }
}
