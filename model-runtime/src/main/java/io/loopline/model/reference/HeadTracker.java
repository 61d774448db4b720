package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import java.util.List;

/**
 * Measures, inside an ONNX graph, how a rendered frame's head has moved from the reference: the shift
 * of the nose bridge and the rotation about it, by Lucas–Kanade registration (inverse compositional,
 * a rigid motion) of the frame's luma against the reference's, on a quarter-resolution, blurred copy, in
 * a Gaussian window of 0.2 face heights on the reference's nose bridge. Warps of the reference pack move
 * that region rigidly with the head; mouth, brows and lids move inside the window by little.
 */
final class HeadTracker {

    private static final long DOWNSAMPLE = 4;
    /** Gauss–Newton steps: each re-samples the frame at the current estimate. */
    private static final int ITERATIONS = 6;
    /** Window radius (σ) in face heights. */
    private static final float WINDOW = 0.2f;

    private HeadTracker() {}

    /**
     * The motion of {@code frame}'s head from {@code reference}'s, [B, 3]: the nose bridge's shift (dx, dy) in
     * full-resolution pixels and the rotation θ about it in radians (clockwise in the image), the rigid motion that
     * carries the reference's content around the nose bridge to where the frame shows it.
     *
     * @param reference, frame RGB [B, 3, H, W] in [-1, 1]
     * @param noseX, noseY the reference's nose bridge in pixels, [B]
     * @param faceSize chin to forehead in pixels, [B]
     */
    static String motion(GraphBuilder g, String reference, String frame, String noseX, String noseY, String faceSize) {
        String refSmall = smallLuma(g, reference); // [B,1,h,w]
        String frameSmall = smallLuma(g, frame);
        String shape = g.op("Shape", refSmall);
        String h = g.gather(shape, g.longs(2), 0);
        String w = g.gather(shape, g.longs(3), 0);
        String ys = centres(g, h); // [h], quarter-resolution pixel centres
        String xs = centres(g, w);

        // Gaussian window on the reference's nose bridge: [B,1,h,w].
        float scale = 1f / DOWNSAMPLE;
        String cx = g.unsqueeze(g.mul(noseX, g.scalar(scale)), 1, 2, 3);
        String cy = g.unsqueeze(g.mul(noseY, g.scalar(scale)), 1, 2, 3);
        String sigma = g.unsqueeze(g.mul(faceSize, g.scalar(WINDOW * scale)), 1, 2, 3);
        String dx = g.sub(g.unsqueeze(xs, 0, 1, 2), cx); // [B,1,1,w]
        String dy = g.sub(g.unsqueeze(ys, 0, 1, 3), cy); // [B,1,h,1]
        String twoSigma2 = g.mul(g.scalar(2f), g.mul(sigma, sigma));
        String window = g.op("Exp", g.op("Neg", g.div(g.add(g.mul(dx, dx), g.mul(dy, dy)), twoSigma2)));

        // The reference's gradients, and its change under a rotation about the nose bridge, with their window-weighted
        // 3×3 normal matrix: the same at every step (inverse compositional).
        String gx = derivative(g, refSmall, true);
        String gy = derivative(g, refSmall, false);
        String gr = g.sub(g.mul(dx, gy), g.mul(dy, gx)); // ∂/∂θ: (−ry, rx)·∇
        String[] jac = {gx, gy, gr};
        String[][] m = new String[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = i; j < 3; j++) {
                m[i][j] = weightedSum(g, window, g.mul(jac[i], jac[j])); // [B]
                m[j][i] = m[i][j];
            }
        }
        // Its inverse by the adjugate (symmetric).
        String c00 = g.sub(g.mul(m[1][1], m[2][2]), g.mul(m[1][2], m[1][2]));
        String c01 = g.sub(g.mul(m[0][2], m[1][2]), g.mul(m[0][1], m[2][2]));
        String c02 = g.sub(g.mul(m[0][1], m[1][2]), g.mul(m[0][2], m[1][1]));
        String c11 = g.sub(g.mul(m[0][0], m[2][2]), g.mul(m[0][2], m[0][2]));
        String c12 = g.sub(g.mul(m[0][1], m[0][2]), g.mul(m[0][0], m[1][2]));
        String c22 = g.sub(g.mul(m[0][0], m[1][1]), g.mul(m[0][1], m[0][1]));
        String det =
                g.add(g.add(g.add(g.mul(m[0][0], c00), g.mul(m[0][1], c01)), g.mul(m[0][2], c02)), g.scalar(1e-12f));
        String[][] inverse = {{c00, c01, c02}, {c01, c11, c12}, {c02, c12, c22}};

        // Pixel coordinates → GridSample's normalized ones (align_corners = 0): x·2/w − 1.
        String wf = g.op("Cast", List.of(w), null, Attribute.of("to", 1L));
        String hf = g.op("Cast", List.of(h), null, Attribute.of("to", 1L));

        // The warp W(p) = c + R(θ)(p − c) + t, which carries the reference's content into the frame.
        String tx = g.mul(noseX, g.scalar(0f)); // [B], quarter-resolution pixels
        String ty = g.mul(noseX, g.scalar(0f));
        String theta = g.mul(noseX, g.scalar(0f));
        for (int i = 0; i < ITERATIONS; i++) {
            String cos = g.unsqueeze(g.op("Cos", theta), 1, 2, 3);
            String sin = g.unsqueeze(g.op("Sin", theta), 1, 2, 3);
            String wx = g.add(g.add(cx, g.sub(g.mul(cos, dx), g.mul(sin, dy))), g.unsqueeze(tx, 1, 2, 3)); // [B,1,h,w]
            String wy = g.add(g.add(cy, g.add(g.mul(sin, dx), g.mul(cos, dy))), g.unsqueeze(ty, 1, 2, 3));
            String grid = g.concat(
                    3,
                    g.unsqueeze(g.sub(g.div(g.mul(g.squeeze(wx, 1), g.scalar(2f)), wf), g.scalar(1f)), 3),
                    g.unsqueeze(g.sub(g.div(g.mul(g.squeeze(wy, 1), g.scalar(2f)), hf), g.scalar(1f)), 3)); // [B,h,w,2]
            String sampled = g.op(
                    "GridSample",
                    List.of(frameSmall, grid),
                    null,
                    Attribute.of("mode", "bilinear"),
                    Attribute.of("padding_mode", "border"),
                    Attribute.of("align_corners", 0L));
            String error = g.sub(sampled, refSmall);
            String[] e = new String[3];
            for (int k = 0; k < 3; k++) {
                e[k] = weightedSum(g, window, g.mul(jac[k], error));
            }
            String[] delta = new String[3];
            for (int k = 0; k < 3; k++) {
                delta[k] = g.div(
                        g.add(
                                g.add(g.mul(inverse[k][0], e[0]), g.mul(inverse[k][1], e[1])),
                                g.mul(inverse[k][2], e[2])),
                        det);
            }
            // frame(W(p)) ≈ reference(p + δ): W becomes W ∘ (p ↦ p + δ)⁻¹, i.e. θ − δθ and t − R(θ − δθ)·δt.
            theta = g.sub(theta, delta[2]);
            String c2 = g.op("Cos", theta);
            String s2 = g.op("Sin", theta);
            tx = g.sub(tx, g.sub(g.mul(c2, delta[0]), g.mul(s2, delta[1])));
            ty = g.sub(ty, g.add(g.mul(s2, delta[0]), g.mul(c2, delta[1])));
        }
        // The nose bridge went to c + t: back to full-resolution pixels; θ as it is.
        return g.concat(
                1,
                g.unsqueeze(g.mul(tx, g.scalar(DOWNSAMPLE)), 1),
                g.unsqueeze(g.mul(ty, g.scalar(DOWNSAMPLE)), 1),
                g.unsqueeze(theta, 1));
    }

    /** Luma at quarter resolution, blurred (three 5×5 box passes, about σ = 2.4 quarter pixels): [B,1,h,w]. */
    private static String smallLuma(GraphBuilder g, String rgb) {
        String weights = g.tensor(new float[] {0.299f, 0.587f, 0.114f}, 1, 3, 1, 1);
        String luma = g.reduceSum(g.mul(rgb, weights), true, 1);
        String small = g.op(
                "AveragePool",
                List.of(luma),
                null,
                Attribute.ints("kernel_shape", DOWNSAMPLE, DOWNSAMPLE),
                Attribute.ints("strides", DOWNSAMPLE, DOWNSAMPLE));
        for (int i = 0; i < 3; i++) {
            small = g.op(
                    "AveragePool",
                    List.of(small),
                    null,
                    Attribute.ints("kernel_shape", 5, 5),
                    Attribute.ints("pads", 2, 2, 2, 2),
                    Attribute.of("count_include_pad", 0L));
        }
        return small;
    }

    /** Central difference along x or y, same size (edges one-sided by zero padding's half weight). */
    private static String derivative(GraphBuilder g, String x, boolean alongX) {
        String kernel = alongX
                ? g.tensor(new float[] {-0.5f, 0f, 0.5f}, 1, 1, 1, 3)
                : g.tensor(new float[] {-0.5f, 0f, 0.5f}, 1, 1, 3, 1);
        return g.op(
                "Conv",
                List.of(x, kernel),
                null,
                Attribute.ints("pads", alongX ? 0 : 1, alongX ? 1 : 0, alongX ? 0 : 1, alongX ? 1 : 0));
    }

    /** Σ window · x over each batch item's pixels: [B]. */
    private static String weightedSum(GraphBuilder g, String window, String x) {
        return g.reduceSum(g.mul(window, x), false, 1, 2, 3);
    }

    /** Pixel centres 0.5, 1.5, … of a dimension: [n]. */
    private static String centres(GraphBuilder g, String n) {
        String range = g.op("Range", List.of(g.longScalar(0), g.squeeze(n, 0), g.longScalar(1)), null);
        return g.add(g.op("Cast", List.of(range), null, Attribute.of("to", 1L)), g.scalar(0.5f));
    }
}
