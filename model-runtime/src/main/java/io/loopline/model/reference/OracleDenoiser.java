package io.loopline.model.reference;

import java.util.List;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import io.loopline.model.onnx.GraphBuilder.ElementType;

/**
 * The reference pack's denoiser, an ONNX graph: an "oracle" that knows the clean frames and predicts
 * them directly (x₀-prediction, {@code "sample"}), with no noisy input — a direct generator, so the
 * renderer draws no noise for it and runs no sampler (a sampler fed these predictions would end on
 * the same frames: the noise only ever cancelled out).
 *
 * <p>The clean frames are built from the reference image: a smooth deformation field, driven by the
 * motion latents and anchored on the face-mesh landmarks ({@link FaceRig}: lower lip and jaw drop,
 * lip corners spread or purse, eyelids close, brows lift; the head rotates and shifts about the nose
 * bridge with a soft mask that leaves the body still; the body rises with breathing), warps the
 * reference with GridSample; a mouth interior (dark, with the upper teeth) is composited where the
 * lips part beyond their rest position.
 */
final class OracleDenoiser {

    /** The deformation field is computed on a grid this many times coarser, then resized. */
    private static final long FLOW_DOWNSAMPLE = 4;
    /** Weight of "stay still" in the normalized RBF blend, so influence fades away from control points. */
    private static final float REST_WEIGHT = 0.1f;
    private static final float LID_SIGMA = 0.025f;

    private OracleDenoiser() {
    }

    static byte[] build(int featureDim) {
        FaceRig rig = new FaceRig();
        GraphBuilder g = new GraphBuilder("reference_denoiser")
            .input("reference_latents", ElementType.FLOAT, "batch", 3, "height", "width")
            .input("audio_features", ElementType.FLOAT, "batch", "frames", featureDim)
            .input("motion", ElementType.FLOAT, "batch", "frames", Motion.COUNT)
            .input("landmarks", ElementType.FLOAT, "batch", 468, 3)
            .output("prediction", ElementType.FLOAT, "batch", 3, "frames", "height", "width");

        // Dimensions as 1-element int64 tensors.
        String refShape = g.op("Shape", "reference_latents");
        String motionShape = g.op("Shape", "motion");
        String dimB = g.gather(motionShape, g.longs(0), 0);
        String dimF = g.gather(motionShape, g.longs(1), 0);
        String dimH = g.gather(refShape, g.longs(2), 0);
        String dimW = g.gather(refShape, g.longs(3), 0);
        String dimHc = g.div(dimH, g.longs(FLOW_DOWNSAMPLE));
        String dimWc = g.div(dimW, g.longs(FLOW_DOWNSAMPLE));

        // Pixel-centre coordinates: coarse (in full-resolution pixels) and full.
        String yCoarse = coords(g, dimHc, FLOW_DOWNSAMPLE);
        String xCoarse = coords(g, dimWc, FLOW_DOWNSAMPLE);
        String yFull = coords(g, dimH, 1);
        String xFull = coords(g, dimW, 1);

        // Landmarks (x, y) and the face size s = |chin − forehead| per batch item.
        String lm = g.op("Slice", List.of("landmarks", g.longs(0), g.longs(2), g.longs(2)), null);
        String faceSize = g.op("Abs", g.sub(landmarkCoord(g, lm, FaceRig.CHIN, 1), landmarkCoord(g, lm, FaceRig.FOREHEAD, 1))); // [B]
        String sB11 = g.unsqueeze(faceSize, 1, 2); // [B,1,1]

        // Control points: the rig's, then the upper eyelids.
        int rigCount = rig.points.size();
        int lidCount = FaceRig.UPPER_LIDS.length;
        int count = rigCount + lidCount;
        long[] indices = new long[count];
        float[] sigmas = new float[count];
        float[] basisX = new float[Motion.COUNT * rigCount];
        float[] basisY = new float[Motion.COUNT * rigCount];
        for (int j = 0; j < rigCount; j++) {
            FaceRig.Point p = rig.points.get(j);
            indices[j] = p.landmark();
            sigmas[j] = p.sigma();
            for (int k = 0; k < Motion.COUNT; k++) {
                basisX[k * rigCount + j] = p.dx()[k];
                basisY[k * rigCount + j] = p.dy()[k];
            }
        }
        for (int i = 0; i < lidCount; i++) {
            indices[rigCount + i] = FaceRig.UPPER_LIDS[i];
            sigmas[rigCount + i] = LID_SIGMA;
        }
        String points = g.gather(lm, g.longs(indices), 1); // [B,J,2]
        String px = g.gather(points, scalarIndex(g, 0), 2); // [B,J]
        String py = g.gather(points, scalarIndex(g, 1), 2);

        // Normalized Gaussian RBF weights on the coarse grid: [B,J,h·w].
        String sigma = g.mul(g.tensor(sigmas, count), g.unsqueeze(faceSize, 1)); // [B,J]
        String twoSigma2 = g.unsqueeze(g.mul(g.scalar(2f), g.mul(sigma, sigma)), 2); // [B,J,1]
        String dx = g.sub(g.unsqueeze(g.unsqueeze(xCoarse, 0), 0), g.unsqueeze(px, 2)); // [B,J,w]
        String dy = g.sub(g.unsqueeze(g.unsqueeze(yCoarse, 0), 0), g.unsqueeze(py, 2)); // [B,J,h]
        String ex = g.op("Exp", g.op("Neg", g.div(g.mul(dx, dx), twoSigma2)));
        String ey = g.op("Exp", g.op("Neg", g.div(g.mul(dy, dy), twoSigma2)));
        String weights = g.mul(g.unsqueeze(ey, 3), g.unsqueeze(ex, 2)); // [B,J,h,w]
        String normalized = g.div(weights, g.add(g.reduceSum(weights, true, 1), g.scalar(REST_WEIGHT)));
        String flatWeights = g.reshape(normalized, g.longs(0, count, -1));

        // Control displacements per frame: rig basis × motion × face size, eyelids toward the lower lids.
        String rigDx = g.mul(g.op("MatMul", "motion", g.tensor(basisX, Motion.COUNT, rigCount)), sB11); // [B,F,Jr]
        String rigDy = g.mul(g.op("MatMul", "motion", g.tensor(basisY, Motion.COUNT, rigCount)), sB11);
        long[] lower = new long[lidCount];
        long[] upper = new long[lidCount];
        for (int i = 0; i < lidCount; i++) {
            lower[i] = FaceRig.LOWER_LIDS[i];
            upper[i] = FaceRig.UPPER_LIDS[i];
        }
        String lidGap = g.sub(g.gather(lm, g.longs(lower), 1), g.gather(lm, g.longs(upper), 1)); // [B,6,2]
        String blink = g.unsqueeze(channel(g, Motion.BLINK), 2); // [B,F,1]
        String lidDx = g.mul(blink, g.unsqueeze(g.mul(g.gather(lidGap, scalarIndex(g, 0), 2), g.scalar(0.9f)), 1));
        String lidDy = g.mul(blink, g.unsqueeze(g.mul(g.gather(lidGap, scalarIndex(g, 1), 2), g.scalar(0.9f)), 1));
        String controlDx = g.concat(2, rigDx, lidDx); // [B,F,J]
        String controlDy = g.concat(2, rigDy, lidDy);

        String coarseShape = g.concat(0, dimB, dimF, dimHc, dimWc);
        String faceDx = g.reshape(g.op("MatMul", controlDx, flatWeights), coarseShape); // [B,F,h,w]
        String faceDy = g.reshape(g.op("MatMul", controlDy, flatWeights), coarseShape);

        // Head rotation and shift about the nose bridge, masked to the head; breathing lifts the body.
        String cx = g.unsqueeze(landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 0), 1, 2, 3); // [B,1,1,1]
        String cy = g.unsqueeze(landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 1), 1, 2, 3);
        String chinY = g.unsqueeze(landmarkCoord(g, lm, FaceRig.CHIN, 1), 1, 2, 3);
        String s4 = g.unsqueeze(faceSize, 1, 2, 3);
        String relX = g.sub(g.unsqueeze(xCoarse, 0, 1, 2), cx); // [B,1,1,w]
        String relY = g.sub(g.unsqueeze(yCoarse, 0, 1, 3), cy); // [B,1,h,1]
        String roll = g.unsqueeze(channel(g, Motion.ROLL), 2, 3); // [B,F,1,1]
        String yaw = g.unsqueeze(channel(g, Motion.YAW), 2, 3);
        String pitch = g.unsqueeze(channel(g, Motion.PITCH), 2, 3);
        String cosR = g.op("Cos", roll);
        String sinR = g.op("Sin", roll);
        String rollX = g.sub(g.sub(g.mul(relX, cosR), g.mul(relY, sinR)), relX);
        String rollY = g.sub(g.add(g.mul(relX, sinR), g.mul(relY, cosR)), relY);
        String yawX = g.sub(g.mul(g.mul(yaw, s4), g.scalar(0.5f)), g.mul(relX, g.sub(g.scalar(1f), g.op("Cos", yaw))));
        String pitchY = g.sub(g.mul(g.mul(pitch, s4), g.scalar(0.45f)), g.mul(relY, g.sub(g.scalar(1f), g.op("Cos", pitch))));
        // A super-Gaussian head mask, exp(−(r/0.95s)⁶): the whole head turns, the background a head away stays put.
        String headR2 = g.div(g.add(g.mul(relX, relX), g.mul(relY, relY)), g.mul(g.mul(s4, s4), g.scalar(0.95f * 0.95f)));
        String headMask = g.mul(
            g.op("Exp", g.op("Neg", g.mul(g.mul(headR2, headR2), headR2))),
            g.sub(g.scalar(1f), g.op("Sigmoid", g.div(g.sub(g.unsqueeze(yCoarse, 0, 1, 3), g.add(chinY, g.mul(s4, g.scalar(0.15f)))),
                g.mul(s4, g.scalar(0.08f)))))); // [B,1,h,w]
        String body = g.op("Sigmoid", g.div(g.sub(g.unsqueeze(yCoarse, 0, 1, 3), g.add(chinY, g.mul(s4, g.scalar(0.1f)))),
            g.mul(s4, g.scalar(0.08f)))); // [B,1,h,1]
        String breathY = g.mul(g.mul(g.unsqueeze(channel(g, Motion.BREATH), 2, 3), g.mul(s4, g.scalar(-0.02f))), body);
        String flowX = g.add(faceDx, g.mul(headMask, g.add(rollX, yawX)));
        String flowY = g.add(g.add(faceDy, g.mul(headMask, g.add(rollY, pitchY))), breathY);

        // Where each pixel samples the reference, clamped to the image (GridSample's "border" padding), as
        // per-pixel offsets (dy, dx) for a 1×1 deformable convolution with identity weights: the same bilinear
        // sampling, four times faster in ONNX Runtime on the CPU than GridSample (measured: 65 against 257 ms
        // for 16 frames at 512×512), and available on CUDA too. The offset of pixel p is
        // clamp(p − flow, 0, size − 1) − p = clamp(−flow, −p, size − 1 − p): the bounds are per pixel and the
        // same for every frame, so the frame-sized work is one resize of −flow and one Min and one Max.
        String minusOne = g.longs(-1);
        String negFlowCoarse = g.op("Neg", g.reshape(g.concat(2, g.unsqueeze(flowY, 2), g.unsqueeze(flowX, 2)),
            g.concat(0, minusOne, g.longs(2), dimHc, dimWc))); // [BF,2,h,w]: (−flowY, −flowX)
        String fullSize = g.concat(0, g.op("Mul", dimB, dimF), g.longs(2), dimH, dimW);
        String negFlow = g.op("Resize", List.of(negFlowCoarse, "", "", fullSize), null, Attribute.of("mode", "linear")); // [BF,2,H,W]
        String wMax = g.sub(g.squeeze(g.op("Cast", List.of(dimW), null, Attribute.of("to", 1L)), 0), g.scalar(1f));
        String hMax = g.sub(g.squeeze(g.op("Cast", List.of(dimH), null, Attribute.of("to", 1L)), 0), g.scalar(1f));
        String xRow = g.unsqueeze(xFull, 0, 1); // [1,1,W]
        String yColumn = g.unsqueeze(yFull, 0, 2); // [1,H,1]
        String zeros = g.mul(g.add(xRow, yColumn), g.scalar(0f)); // [1,H,W]
        String low = g.unsqueeze(g.concat(0, g.op("Neg", g.add(yColumn, zeros)), g.op("Neg", g.add(xRow, zeros))), 0); // [1,2,H,W]
        String high = g.unsqueeze(g.concat(0, g.sub(hMax, g.add(yColumn, zeros)), g.sub(wMax, g.add(xRow, zeros))), 0);
        String offsets = g.op("Max", g.op("Min", negFlow, high), low); // [BF,2,H,W]: (dy, dx) per pixel

        String repeated = g.reshape(g.op("Expand", g.unsqueeze("reference_latents", 1), g.concat(0, dimB, dimF, g.longs(3), dimH, dimW)),
            g.concat(0, minusOne, g.longs(3), dimH, dimW));
        String identity = g.tensor(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3, 1, 1);

        // Mouth interior where the lips part beyond their rest gap.
        int jUpper = rig.indexOf(FaceRig.UPPER_LIP);
        int jLower = rig.indexOf(FaceRig.LOWER_LIP);
        int jRight = rig.indexOf(FaceRig.MOUTH_RIGHT);
        int jLeft = rig.indexOf(FaceRig.MOUTH_LEFT);
        String upperY = g.add(g.unsqueeze(g.gather(py, scalarIndex(g, jUpper), 1), 1), g.gather(controlDy, scalarIndex(g, jUpper), 2)); // [B,F]
        String lowerY = g.add(g.unsqueeze(g.gather(py, scalarIndex(g, jLower), 1), 1), g.gather(controlDy, scalarIndex(g, jLower), 2));
        String rightX = g.add(g.unsqueeze(g.gather(px, scalarIndex(g, jRight), 1), 1), g.gather(controlDx, scalarIndex(g, jRight), 2));
        String leftX = g.add(g.unsqueeze(g.gather(px, scalarIndex(g, jLeft), 1), 1), g.gather(controlDx, scalarIndex(g, jLeft), 2));
        String opening = g.op("Relu", g.sub(g.gather(controlDy, scalarIndex(g, jLower), 2), g.gather(controlDy, scalarIndex(g, jUpper), 2)));
        String perFrame = g.longs(-1, 1, 1);
        String mouthCx = g.reshape(g.mul(g.add(rightX, leftX), g.scalar(0.5f)), perFrame); // [BF,1,1]
        String mouthCy = g.reshape(g.mul(g.add(upperY, lowerY), g.scalar(0.5f)), perFrame);
        String halfH = g.reshape(g.mul(opening, g.scalar(0.5f)), perFrame);
        String halfW = g.reshape(g.mul(g.op("Abs", g.sub(leftX, rightX)), g.scalar(0.36f)), perFrame);
        String qx = g.div(g.sub(g.unsqueeze(xFull, 0, 1), mouthCx), g.add(halfW, g.scalar(0.5f)));
        String qy = g.div(g.sub(g.unsqueeze(yFull, 0, 2), mouthCy), g.add(halfH, g.scalar(0.5f)));
        // A lens rather than an ellipse: lips meet in points at the corners (|x|^1.4 flattens the sides).
        String q = g.add(g.op("Pow", g.op("Abs", qx), g.scalar(1.4f)), g.mul(qy, qy)); // [BF,H,W]
        String gate = g.op("Clip", List.of(g.div(halfH, g.scalar(1.5f)), g.scalar(0f), g.scalar(1f)), null);
        String mask = g.unsqueeze(g.mul(g.op("Sigmoid", g.mul(g.sub(g.scalar(1f), q), g.scalar(14f))), gate), 1); // [BF,1,H,W]
        // Upper teeth show in the top of a wide enough opening; below them the mouth darkens toward the throat.
        String teethGate = g.op("Clip", List.of(g.sub(g.div(halfH, g.scalar(3f)), g.scalar(0.5f)), g.scalar(0f), g.scalar(1f)), null);
        String teeth = g.unsqueeze(g.mul(g.op("Sigmoid", g.div(g.sub(g.sub(mouthCy, g.mul(halfH, g.scalar(0.45f))), g.unsqueeze(yFull, 0, 2)),
            g.add(g.mul(halfH, g.scalar(0.08f)), g.scalar(0.3f)))), teethGate), 1);
        String teethColor = g.tensor(new float[] {0.62f, 0.58f, 0.52f}, 1, 3, 1, 1);
        String depth = g.unsqueeze(g.op("Clip", List.of(qy, g.scalar(-1f), g.scalar(1f)), null), 1); // -1 top … 1 bottom
        String throatTop = g.tensor(new float[] {-0.45f, -0.78f, -0.76f}, 1, 3, 1, 1);
        String throatShade = g.tensor(new float[] {-0.25f, -0.12f, -0.12f}, 1, 3, 1, 1);
        String throat = g.add(throatTop, g.mul(g.mul(g.add(depth, g.scalar(1f)), g.scalar(0.5f)), throatShade));
        String interior = g.add(g.mul(teeth, teethColor), g.mul(g.sub(g.scalar(1f), teeth), throat));
        // (1 − mask)·warped comes out of the warp itself (DeformConv's modulation mask), then mask·interior is added.
        String keep = g.sub(g.scalar(1f), mask); // [BF,1,H,W]
        String warped = g.op("DeformConv", List.of(repeated, identity, offsets, "", keep), null); // [BF,3,H,W]
        String clean = g.add(warped, g.mul(mask, interior)); // [BF,3,H,W]
        g.op("Transpose", List.of(g.reshape(clean, g.concat(0, dimB, dimF, g.longs(3), dimH, dimW))), "prediction",
            Attribute.ints("perm", 0, 2, 1, 3, 4)); // [B,3,F,H,W]
        return g.toBytes("loopline-reference-pack");
    }

    /** Pixel-centre coordinates of a grid {@code factor} times coarser than full resolution, in full-resolution pixels. */
    private static String coords(GraphBuilder g, String count, long factor) {
        String range = g.op("Range", List.of(scalarLong(g, 0), g.squeeze(count, 0), scalarLong(g, 1)), null);
        String asFloat = g.op("Cast", List.of(range), null, Attribute.of("to", 1L));
        return g.add(g.mul(asFloat, g.scalar(factor)), g.scalar((factor - 1) / 2f));
    }

    private static String landmarkCoord(GraphBuilder g, String lm, int landmark, int axis) {
        return g.gather(g.gather(lm, scalarIndex(g, landmark), 1), scalarIndex(g, axis), 1); // [B]
    }

    private static String channel(GraphBuilder g, int index) {
        return g.gather("motion", scalarIndex(g, index), 2); // [B,F]
    }

    private static String scalarIndex(GraphBuilder g, long index) {
        return g.longScalar(index);
    }

    private static String scalarLong(GraphBuilder g, long value) {
        return g.longScalar(value);
    }
}
