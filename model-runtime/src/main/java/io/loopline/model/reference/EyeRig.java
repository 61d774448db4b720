package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.tensor.FaceMesh;

/**
 * The reference pack's eyelids and gaze, as part of the oracle denoiser's ONNX graph: sampling offsets
 * at full resolution in a box around the eyes.
 *
 * <p>A blink lowers each upper lid's margin towards the lower lid along the lid contours the face mesh
 * measured. The lid's own skin, from its margin up to a lid height above it, stretches down to the new
 * margin, lashes last; below the margin the eye stays as it is, so the lid covers the iris instead of
 * pushing it along (a smooth warp that moves the lid that far folds, and the iris shows on the lid). The
 * margin's edge is anti-aliased by its pixel coverage. Gaze moves what lies inside the eye opening
 * sideways, fading to nothing at the lids and the corners.
 */
final class EyeRig {

    /** Upper and lower lid contours, outer corner to inner corner, of the image's left eye, then the right. */
    static final int[][] UPPER = FaceMesh.UPPER_LIDS;

    static final int[][] LOWER = FaceMesh.LOWER_LIDS;
    /** How far a full blink brings the upper margin towards the lower lid. */
    private static final float CLOSURE = 0.95f;
    /** The lid skin that stretches over the eye, as a share of the eye's opening at rest. */
    private static final float LID_HEIGHT = 0.9f;
    /** Gaze at ±1 moves the iris by this share of the eye's half width. */
    private static final float GAZE_TRAVEL = 0.3f;

    private final GraphBuilder g;
    // Per eye, [B, 1, E, 1]: centre, half width, opening at rest; knots [B, 1, E, K, 1].
    private final String centreX;
    private final String halfWidth;
    private final String opening;
    private final String knotU;
    private final String knotUpper;
    private final String knotLower;
    // Per frame and eye, [B, F, E, 1]: the head's shift at the eye; per frame [B, F, 1, 1]: blink, gaze.
    private final String headDx;
    private final String headDy;
    private final String blink;
    private final String gaze;

    /**
     * @param lm      landmarks (x, y), [B, 468, 2]
     * @param motion  the motion latents, [B, F, M]
     * @param headDx  the head's horizontal shift at each eye's centre, [B, F, E]
     * @param headDy  the head's vertical shift at each eye's centre, [B, F, E]
     */
    EyeRig(GraphBuilder g, String lm, String motion, String headDx, String headDy) {
        this.g = g;
        String upper = g.gather(lm, g.longs(flatten(UPPER)), 1); // [B, E·K, 2]
        String lower = g.gather(lm, g.longs(flatten(LOWER)), 1);
        String shape = g.longs(0, UPPER.length, UPPER[0].length, 2);
        upper = g.reshape(upper, shape); // [B,E,K,2]
        lower = g.reshape(lower, shape);
        String upperX = g.gather(upper, g.longScalar(0), 3); // [B,E,K]
        String upperY = g.gather(upper, g.longScalar(1), 3);
        String lowerY = g.gather(lower, g.longScalar(1), 3);
        String lowerX = g.gather(lower, g.longScalar(0), 3);
        String outer = g.gather(upperX, g.longScalar(0), 2); // [B,E]
        String inner = g.gather(upperX, g.longScalar(UPPER[0].length - 1), 2);
        String cx = g.mul(g.add(outer, inner), g.scalar(0.5f));
        String hw = g.op("Max", g.mul(g.op("Abs", g.sub(inner, outer)), g.scalar(0.5f)), g.scalar(1f));
        String middle = g.longScalar(UPPER[0].length / 2);
        String open = g.op("Relu", g.sub(g.gather(lowerY, middle, 2), g.gather(upperY, middle, 2))); // [B,E]
        centreX = g.unsqueeze(cx, 1, 3);
        halfWidth = g.unsqueeze(hw, 1, 3);
        opening = g.unsqueeze(open, 1, 3);
        String knotX = g.mul(g.add(upperX, lowerX), g.scalar(0.5f));
        knotU = g.unsqueeze(g.div(g.sub(knotX, g.unsqueeze(cx, 2)), g.unsqueeze(hw, 2)), 1, 4); // [B,1,E,K,1]
        knotUpper = g.unsqueeze(upperY, 1, 4);
        knotLower = g.unsqueeze(lowerY, 1, 4);
        this.headDx = g.unsqueeze(headDx, 3);
        this.headDy = g.unsqueeze(headDy, 3);
        blink = g.unsqueeze(g.clip(g.gather(motion, g.longs(Motion.BLINK), 2), 0f, 1f), 3); // [B,F,1,1]
        gaze = g.unsqueeze(g.clip(g.gather(motion, g.longs(Motion.GAZE), 2), -1f, 1f), 3);
    }

    /**
     * Sampling offsets (dy, dx) the lids and gaze add at the grid {@code xs} × {@code ys} (pixel centres):
     * [B, F, 2, m, n], to be added to the frame's own.
     */
    String offsets(String xs, String ys) {
        String x = g.unsqueeze(xs, 0, 1, 2); // [1,1,1,n]
        String u = g.div(g.sub(g.sub(x, centreX), headDx), halfWidth); // [B,F,E,n]
        String[] lids = Contours.at(g, u, knotU, 3, 0.12f, knotUpper, knotLower);
        String upper = g.add(lids[0], headDy); // [B,F,E,n]
        String lower = g.add(lids[1], headDy);
        String gap = g.op("Relu", g.sub(lower, upper));
        String margin = g.add(upper, g.mul(g.mul(blink, gap), g.scalar(CLOSURE))); // where the upper margin is now
        String lidTop = g.sub(upper, g.add(g.mul(opening, g.scalar(LID_HEIGHT)), g.scalar(1f)));

        String y = g.unsqueeze(ys, 0, 1, 2, 4); // [1,1,1,m,1]
        String u5 = g.unsqueeze(u, 3);
        String upper5 = g.unsqueeze(upper, 3);
        String lower5 = g.unsqueeze(lower, 3);
        String margin5 = g.unsqueeze(margin, 3);
        String top5 = g.unsqueeze(lidTop, 3);
        // The lid band [top, upper] stretches over [top, margin]: content at (y − top)·band/(margin − top) + top.
        String fromTop = g.op("Relu", g.sub(y, top5)); // [B,F,E,m,n]
        String stretch = g.div(g.sub(margin5, upper5), g.sub(margin5, top5));
        String covered = g.clip(g.add(g.sub(margin5, y), g.scalar(0.5f)), 0f, 1f);
        String lidShift = g.reduceSum(g.mul(g.mul(fromTop, stretch), covered), false, 2); // [B,F,m,n]

        // Gaze: the eye's inside moves sideways, fading at the lids (a quarter of the opening) and the corners.
        String fade = g.add(g.mul(g.unsqueeze(opening, 3), g.scalar(0.25f)), g.scalar(0.5f));
        String belowLid = g.clip(g.div(g.sub(y, upper5), fade), 0f, 1f);
        String aboveLid = g.clip(g.div(g.sub(lower5, y), fade), 0f, 1f);
        String across = g.op("Relu", g.sub(g.scalar(1f), g.mul(u5, u5)));
        String inside = g.mul(g.mul(belowLid, aboveLid), g.mul(across, across));
        String travel = g.mul(g.mul(g.unsqueeze(gaze, 3), g.unsqueeze(halfWidth, 3)), g.scalar(GAZE_TRAVEL));
        String gazeShift = g.reduceSum(g.mul(inside, travel), false, 2); // [B,F,m,n]

        // Offsets point from a pixel to where its content comes from: minus the movement.
        return g.op("Neg", g.concat(2, g.unsqueeze(lidShift, 2), g.unsqueeze(gazeShift, 2)));
    }

    /** Landmark ids of both eyes' contours, one array. */
    static long[] flatten(int[][] ids) {
        long[] out = new long[ids.length * ids[0].length];
        int i = 0;
        for (int[] row : ids) {
            for (int id : row) {
                out[i++] = id;
            }
        }
        return out;
    }
}
