package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;

/**
 * A face-mesh contour (lips, lids) read at any position across it, as part of an ONNX graph: the
 * knots' values blended by normalized Gaussian weights of the distance to each knot, with positions
 * clamped to the contour's span [−1, 1] so that beyond its corners the corner's value holds.
 */
final class Contours {

    private Contours() {}

    /**
     * The contours' values at positions {@code u} (in the knots' units; any shape broadcasting with
     * {@code knotU} once a knot axis is inserted at {@code knotAxis}), one result per array of knot
     * values, each with the knot axis reduced away.
     */
    static String[] at(GraphBuilder g, String u, String knotU, int knotAxis, float sigma, String... knotValues) {
        String diff = g.sub(g.unsqueeze(g.clip(u, -1f, 1f), knotAxis), knotU);
        String w = g.op("Exp", g.mul(g.mul(diff, diff), g.scalar(-1f / (2 * sigma * sigma))));
        String sum = g.add(g.reduceSum(w, false, knotAxis), g.scalar(1e-6f));
        String[] out = new String[knotValues.length];
        for (int i = 0; i < knotValues.length; i++) {
            out[i] = g.div(g.reduceSum(g.mul(w, knotValues[i]), false, knotAxis), sum);
        }
        return out;
    }
}
