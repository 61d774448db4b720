package io.loopline.model.reference;

import io.loopline.tensor.FaceMesh;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the reference pack's deformation acts: control points on MediaPipe face-mesh landmarks,
 * each with how far it moves per unit of each motion channel (in face heights) and how widely its
 * influence spreads. Points with no motion are anchors that hold the rest of the face (nose,
 * cheeks, eye corners) in place.
 */
final class FaceRig {

    /** One control point. */
    record Point(int landmark, float sigma, float[] dx, float[] dy) {}

    /** Upper and lower eyelid points, held still here (EyeRig moves the lids). */
    static final int[] UPPER_LIDS = {159, 158, 160, 386, 385, 387};

    static final int[] LOWER_LIDS = {145, 153, 144, 374, 380, 373};

    static final int UPPER_LIP = FaceMesh.INNER_UPPER_LIP_CENTRE;
    static final int LOWER_LIP = FaceMesh.INNER_LOWER_LIP_CENTRE;
    static final int MOUTH_RIGHT = FaceMesh.MOUTH_RIGHT;
    static final int MOUTH_LEFT = FaceMesh.MOUTH_LEFT;
    static final int FOREHEAD = FaceMesh.FOREHEAD;
    static final int CHIN = FaceMesh.CHIN;
    static final int NOSE_BRIDGE = FaceMesh.NOSE_BRIDGE;

    final List<Point> points = new ArrayList<>();

    FaceRig() {
        // Lip corners spread and pucker; everything vertical around the mouth is MouthRig's (lips part along their
        // contour).
        move(MOUTH_RIGHT, 0.045f).x(Motion.WIDTH, -0.045f).x(Motion.ROUND, 0.04f);
        move(MOUTH_LEFT, 0.045f).x(Motion.WIDTH, 0.045f).x(Motion.ROUND, -0.04f);
        // Brows lift.
        for (int i : new int[] {70, 63, 105, 66, 107, 336, 296, 334, 293, 300}) {
            move(i, 0.06f).y(Motion.BROW, -0.045f);
        }
        // Anchors: nose, cheeks, eye corners and forehead stay where they are.
        for (int i : new int[] {1, 4, 6, 168, 197, 50, 280, 116, 345, 33, 263, 133, 362, 10, 151, 205, 425, 98, 327}) {
            move(i, 0.05f);
        }
        // The lids hold still here: blinks are EyeRig's (a smooth warp cannot bring a lid over the eye without
        // folding).
        for (int i : UPPER_LIDS) {
            move(i, 0.025f);
        }
        for (int i : LOWER_LIDS) {
            move(i, 0.02f);
        }
    }

    private Builder move(int landmark, float sigma) {
        Point p = new Point(landmark, sigma, new float[Motion.COUNT], new float[Motion.COUNT]);
        points.add(p);
        return new Builder(p);
    }

    private record Builder(Point p) {
        Builder x(int channel, float perUnit) {
            p.dx()[channel] = perUnit;
            return this;
        }

        Builder y(int channel, float perUnit) {
            p.dy()[channel] = perUnit;
            return this;
        }
    }

    /** Index of a landmark among the control points, or -1. */
    int indexOf(int landmark) {
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).landmark() == landmark) {
                return i;
            }
        }
        return -1;
    }
}
