package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import java.util.List;

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

    private OracleDenoiser() {}

    static byte[] build(int featureDim) {
        return build(featureDim, false);
    }

    /**
     * @param history whether the head continues from the frame before the segment (the history variant): the
     *     denoiser then takes {@code motion_frames} [B, 3, 1, H, W], and the motion's pitch and yaw are per-frame
     *     changes ({@link A2LGraph#build(int, boolean)}) added to the pose {@link HeadTracker} measures in that frame
     */
    static byte[] build(int featureDim, boolean history) {
        FaceRig rig = new FaceRig();
        GraphBuilder g = new GraphBuilder(history ? "reference_history_denoiser" : "reference_denoiser")
                .input("reference_latents", ElementType.FLOAT, "batch", 3, "height", "width")
                .input("audio_features", ElementType.FLOAT, "batch", "frames", featureDim)
                .input("motion", ElementType.FLOAT, "batch", "frames", Motion.COUNT)
                .input("landmarks", ElementType.FLOAT, "batch", 468, 3)
                .input("pose", ElementType.FLOAT, "batch", 33, 4)
                .input("hands", ElementType.FLOAT, "batch", 2, 21, 3);
        if (history) {
            g.input("motion_frames", ElementType.FLOAT, "batch", 3, 1, "height", "width");
        }
        g.output("prediction", ElementType.FLOAT, "batch", 3, "frames", "height", "width");

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
        String faceSize = g.op(
                "Abs", g.sub(landmarkCoord(g, lm, FaceRig.CHIN, 1), landmarkCoord(g, lm, FaceRig.FOREHEAD, 1))); // [B]
        String sB11 = g.unsqueeze(faceSize, 1, 2); // [B,1,1]
        String motion = history ? chainedMotion(g, lm, faceSize) : "motion";

        // Control points.
        int count = rig.points.size();
        long[] indices = new long[count];
        float[] sigmas = new float[count];
        float[] basisX = new float[Motion.COUNT * count];
        float[] basisY = new float[Motion.COUNT * count];
        for (int j = 0; j < count; j++) {
            FaceRig.Point p = rig.points.get(j);
            indices[j] = p.landmark();
            sigmas[j] = p.sigma();
            for (int k = 0; k < Motion.COUNT; k++) {
                basisX[k * count + j] = p.dx()[k];
                basisY[k * count + j] = p.dy()[k];
            }
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

        // Control displacements per frame: rig basis × motion × face size.
        String controlDx = g.mul(g.op("MatMul", motion, g.tensor(basisX, Motion.COUNT, count)), sB11); // [B,F,J]
        String controlDy = g.mul(g.op("MatMul", motion, g.tensor(basisY, Motion.COUNT, count)), sB11);

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
        String roll = g.unsqueeze(channel(g, motion, Motion.ROLL), 2, 3); // [B,F,1,1]
        String yaw = g.unsqueeze(channel(g, motion, Motion.YAW), 2, 3);
        String pitch = g.unsqueeze(channel(g, motion, Motion.PITCH), 2, 3);
        String headX = headShiftX(g, relX, relY, roll, yaw, s4); // [B,F,h,w]
        String headY = headShiftY(g, relX, relY, roll, pitch, s4);
        // A super-Gaussian head mask, exp(−(r/0.95s)⁶): the whole head turns, the background a head away stays put.
        String headR2 =
                g.div(g.add(g.mul(relX, relX), g.mul(relY, relY)), g.mul(g.mul(s4, s4), g.scalar(0.95f * 0.95f)));
        String headMask = g.mul(
                g.op("Exp", g.op("Neg", g.mul(g.mul(headR2, headR2), headR2))),
                g.sub(
                        g.scalar(1f),
                        g.op(
                                "Sigmoid",
                                g.div(
                                        g.sub(g.unsqueeze(yCoarse, 0, 1, 3), g.add(chinY, g.mul(s4, g.scalar(0.15f)))),
                                        g.mul(s4, g.scalar(0.08f)))))); // [B,1,h,w]
        String body = g.op(
                "Sigmoid",
                g.div(
                        g.sub(g.unsqueeze(yCoarse, 0, 1, 3), g.add(chinY, g.mul(s4, g.scalar(0.1f)))),
                        g.mul(s4, g.scalar(0.08f)))); // [B,1,h,1]
        String breathY =
                g.mul(g.mul(g.unsqueeze(channel(g, motion, Motion.BREATH), 2, 3), g.mul(s4, g.scalar(-0.02f))), body);
        // The mouth and jaw (MouthRig) move in the head's frame: the head's shift and roll at the mouth carry them.
        String mouthX = g.unsqueeze(
                g.mul(
                        g.add(
                                landmarkCoord(g, lm, FaceRig.MOUTH_RIGHT, 0),
                                landmarkCoord(g, lm, FaceRig.MOUTH_LEFT, 0)),
                        g.scalar(0.5f)),
                1); // [B,1]
        String mouthY = g.unsqueeze(
                g.mul(
                        g.add(
                                landmarkCoord(g, lm, FaceRig.MOUTH_RIGHT, 1),
                                landmarkCoord(g, lm, FaceRig.MOUTH_LEFT, 1)),
                        g.scalar(0.5f)),
                1);
        String mRelX = g.sub(mouthX, g.unsqueeze(landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 0), 1));
        String mRelY = g.sub(mouthY, g.unsqueeze(landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 1), 1));
        String rollF = channel(g, motion, Motion.ROLL); // [B,F]
        String yawF = channel(g, motion, Motion.YAW);
        String pitchF = channel(g, motion, Motion.PITCH);
        String sB1 = g.unsqueeze(faceSize, 1);
        String mouthHeadDx = headShiftX(g, mRelX, mRelY, rollF, yawF, sB1);
        String mouthHeadDy = headShiftY(g, mRelX, mRelY, rollF, pitchF, sB1);
        int jRight = rig.indexOf(FaceRig.MOUTH_RIGHT);
        int jLeft = rig.indexOf(FaceRig.MOUTH_LEFT);
        MouthRig mouth = new MouthRig(
                g,
                lm,
                faceSize,
                motion,
                mouthHeadDx,
                mouthHeadDy,
                rollF,
                g.gather(controlDx, scalarIndex(g, jRight), 2),
                g.gather(controlDx, scalarIndex(g, jLeft), 2),
                "reference_latents");

        // The eyelids and gaze (EyeRig) likewise, with the head's shift at each eye's centre: [B,F,E].
        String eyeX = g.mul(
                g.add(
                        g.gather(lm, g.longs(EyeRig.UPPER[0][0], EyeRig.UPPER[1][0]), 1),
                        g.gather(
                                lm,
                                g.longs(
                                        EyeRig.UPPER[0][EyeRig.UPPER[0].length - 1],
                                        EyeRig.UPPER[1][EyeRig.UPPER[1].length - 1]),
                                1)),
                g.scalar(0.5f)); // [B,E,2]
        String eRelX = g.unsqueeze(
                g.sub(
                        g.gather(eyeX, scalarIndex(g, 0), 2),
                        g.unsqueeze(landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 0), 1)),
                1);
        String eRelY = g.unsqueeze(
                g.sub(
                        g.gather(eyeX, scalarIndex(g, 1), 2),
                        g.unsqueeze(landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 1), 1)),
                1);
        String rollE = g.unsqueeze(rollF, 2);
        String sE = g.unsqueeze(sB1, 2);
        EyeRig eyes = new EyeRig(
                g,
                lm,
                motion,
                headShiftX(g, eRelX, eRelY, rollE, g.unsqueeze(yawF, 2), sE),
                headShiftY(g, eRelX, eRelY, rollE, g.unsqueeze(pitchF, 2), sE));

        // The half body's arms, hands, shoulders and lean (BodyRig): exactly zero for a portrait, which has no pose.
        BodyRig bodyRig = new BodyRig(
                g,
                "pose",
                "hands",
                motion,
                faceSize,
                landmarkCoord(g, lm, FaceRig.CHIN, 0),
                landmarkCoord(g, lm, FaceRig.CHIN, 1));
        BodyRig.Arms arms = bodyRig.arms(
                xCoarse,
                yCoarse,
                g.squeeze(g.op("Cast", List.of(dimW), null, Attribute.of("to", 1L)), 0),
                g.squeeze(g.op("Cast", List.of(dimH), null, Attribute.of("to", 1L)), 0),
                headMask);
        String[] torso = bodyRig.torso(xCoarse, yCoarse, headMask, faceSize, chinY);
        String[] whole = bodyRig.wholeHands(
                arms,
                g.add(g.add(g.add(faceDx, g.mul(headMask, headX)), arms.x()), torso[0]),
                g.add(
                        g.add(
                                g.add(
                                        g.add(g.add(faceDy, g.mul(headMask, headY)), breathY),
                                        mouth.verticalFlow(xCoarse, yCoarse)),
                                arms.y()),
                        torso[1]),
                dimHc,
                dimWc);
        String flowX = whole[0];
        String flowY = whole[1];

        // Where each pixel samples the reference, clamped to the image (GridSample's "border" padding), as
        // per-pixel offsets (dy, dx) for a 1×1 deformable convolution with identity weights: the same bilinear
        // sampling, much faster in ONNX Runtime on the CPU than GridSample (docs/performance.md, "Reference pack
        // settings"), and available on CUDA too. The offset of pixel p is
        // clamp(p − flow, 0, size − 1) − p = clamp(−flow, −p, size − 1 − p): the bounds are per pixel and the
        // same for every frame, so the frame-sized work is one resize of −flow and one Min and one Max.
        String minusOne = g.longs(-1);
        String negFlowCoarse = g.op(
                "Neg",
                g.reshape(
                        g.concat(2, g.unsqueeze(flowY, 2), g.unsqueeze(flowX, 2)),
                        g.concat(0, minusOne, g.longs(2), dimHc, dimWc))); // [BF,2,h,w]: (−flowY, −flowX)
        String fullSize = g.concat(0, g.op("Mul", dimB, dimF), g.longs(2), dimH, dimW);
        String negFlow = g.op(
                "Resize", List.of(negFlowCoarse, "", "", fullSize), null, Attribute.of("mode", "linear")); // [BF,2,H,W]
        String wMax = g.sub(g.squeeze(g.op("Cast", List.of(dimW), null, Attribute.of("to", 1L)), 0), g.scalar(1f));
        String hMax = g.sub(g.squeeze(g.op("Cast", List.of(dimH), null, Attribute.of("to", 1L)), 0), g.scalar(1f));
        String xRow = g.unsqueeze(xFull, 0, 1); // [1,1,W]
        String yColumn = g.unsqueeze(yFull, 0, 2); // [1,H,1]
        String zeros = g.mul(g.add(xRow, yColumn), g.scalar(0f)); // [1,H,W]
        String low = g.unsqueeze(
                g.concat(0, g.op("Neg", g.add(yColumn, zeros)), g.op("Neg", g.add(xRow, zeros))), 0); // [1,2,H,W]
        String high = g.unsqueeze(g.concat(0, g.sub(hMax, g.add(yColumn, zeros)), g.sub(wMax, g.add(xRow, zeros))), 0);
        // The lids and gaze at full resolution in a box around the eyes (a lid's margin is sharp), added to the rest.
        String lidsTop = g.reduce(
                "ReduceMin",
                g.gather(g.gather(lm, g.longs(EyeRig.flatten(EyeRig.UPPER)), 1), scalarIndex(g, 1), 2),
                false,
                1); // [B]
        String lidsBottom = g.reduce(
                "ReduceMax",
                g.gather(g.gather(lm, g.longs(EyeRig.flatten(EyeRig.LOWER)), 1), scalarIndex(g, 1), 2),
                false,
                1);
        String eyesLeft = landmarkCoord(g, lm, EyeRig.UPPER[0][0], 0);
        String eyesRight = landmarkCoord(g, lm, EyeRig.UPPER[1][0], 0);
        String eyeMargin = g.mul(faceSize, g.scalar(0.15f));
        FrameBox eyeBox = FrameBox.around(
                g,
                g.sub(g.op("Min", eyesLeft, eyesRight), eyeMargin),
                g.add(g.op("Max", eyesLeft, eyesRight), eyeMargin),
                g.sub(lidsTop, eyeMargin),
                g.add(lidsBottom, eyeMargin),
                dimW,
                dimH);
        String eyeOffsets = eyeBox.place(g, eyes.offsets(eyeBox.xs(g), eyeBox.ys(g)), 2);
        String allFlow = g.add(negFlow, eyeOffsets);
        String offsets = g.op("Max", g.op("Min", allFlow, high), low); // [BF,2,H,W]: (dy, dx) per pixel

        String repeated = g.reshape(
                g.op("Expand", g.unsqueeze("reference_latents", 1), g.concat(0, dimB, dimF, g.longs(3), dimH, dimW)),
                g.concat(0, minusOne, g.longs(3), dimH, dimW));
        String identity = g.tensor(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3, 1, 1);

        // The mouth interior, drawn in a box that holds the mouth at any opening and head pose, then placed in the
        // frame.
        String halfWidth = g.mul(
                g.op(
                        "Abs",
                        g.sub(
                                landmarkCoord(g, lm, FaceRig.MOUTH_LEFT, 0),
                                landmarkCoord(g, lm, FaceRig.MOUTH_RIGHT, 0))),
                g.scalar(0.5f));
        String centre = g.squeeze(mouthX, 1);
        String reach = g.add(g.mul(halfWidth, g.scalar(1.1f)), g.mul(faceSize, g.scalar(0.2f)));
        FrameBox mouthBox = FrameBox.around(
                g,
                g.sub(centre, reach),
                g.add(centre, reach),
                g.sub(landmarkCoord(g, lm, 0, 1), g.mul(faceSize, g.scalar(0.12f))),
                g.add(
                        landmarkCoord(g, lm, FaceRig.LOWER_LIP, 1),
                        g.mul(faceSize, g.scalar(1.5f * MouthRig.OPENING + 0.12f))),
                dimW,
                dimH);
        MouthRig.Interior inside = mouth.interior(mouthBox.xs(g), mouthBox.ys(g));
        String coverage = mouthBox.place(g, inside.coverage(), 1); // [BF,1,H,W]
        String interior = mouthBox.place(g, inside.premultiplied(), 3); // [BF,3,H,W]
        // (1 − coverage)·warped comes out of the warp itself (DeformConv's modulation mask), then the interior is
        // added.
        String keep = g.sub(g.scalar(1f), coverage);
        String warped = g.op("DeformConv", List.of(repeated, identity, offsets, "", keep), null); // [BF,3,H,W]
        String clean = g.add(warped, interior); // [BF,3,H,W]
        g.op(
                "Transpose",
                List.of(g.reshape(clean, g.concat(0, dimB, dimF, g.longs(3), dimH, dimW))),
                "prediction",
                Attribute.ints("perm", 0, 2, 1, 3, 4)); // [B,3,F,H,W]
        return g.toBytes("loopline-reference-pack");
    }

    /** Pixel-centre coordinates of a grid {@code factor} times coarser than full resolution, in full-resolution pixels. */
    private static String coords(GraphBuilder g, String count, long factor) {
        String range = g.op("Range", List.of(scalarLong(g, 0), g.squeeze(count, 0), scalarLong(g, 1)), null);
        String asFloat = g.op("Cast", List.of(range), null, Attribute.of("to", 1L));
        return g.add(g.mul(asFloat, g.scalar(factor)), g.scalar((factor - 1) / 2f));
    }

    /** The head's horizontal shift (roll and yaw) of a point at (relX, relY) from the nose bridge; shapes broadcast. */
    private static String headShiftX(GraphBuilder g, String relX, String relY, String roll, String yaw, String size) {
        String rolled = g.sub(g.sub(g.mul(relX, g.op("Cos", roll)), g.mul(relY, g.op("Sin", roll))), relX);
        String turned =
                g.sub(g.mul(g.mul(yaw, size), g.scalar(0.5f)), g.mul(relX, g.sub(g.scalar(1f), g.op("Cos", yaw))));
        return g.add(rolled, turned);
    }

    /** The head's vertical shift (roll and pitch) of a point at (relX, relY) from the nose bridge; shapes broadcast. */
    private static String headShiftY(GraphBuilder g, String relX, String relY, String roll, String pitch, String size) {
        String rolled = g.sub(g.add(g.mul(relX, g.op("Sin", roll)), g.mul(relY, g.op("Cos", roll))), relY);
        String nodded =
                g.sub(g.mul(g.mul(pitch, size), g.scalar(0.45f)), g.mul(relY, g.sub(g.scalar(1f), g.op("Cos", pitch))));
        return g.add(rolled, nodded);
    }

    /**
     * A pixel box of the frame that holds a region of every batch item, [x0, x1) × [y0, y1) as int64 [1]
     * tensors, with what the frame around it is padded by: work that only matters near the mouth or the
     * eyes is done in such a box and then placed in the frame.
     */
    private record FrameBox(String x0, String x1, String y0, String y1, String pads) {

        /** The box around [left, right] × [top, bottom] ([B] each, pixels), rounded outwards and kept in the frame. */
        static FrameBox around(
                GraphBuilder g, String left, String right, String top, String bottom, String dimW, String dimH) {
            String y0 = clampIndex(g, g.op("Floor", g.reduce("ReduceMin", top, true, 0)), dimH);
            String y1 = clampIndex(g, g.op("Ceil", g.reduce("ReduceMax", bottom, true, 0)), dimH);
            String x0 = clampIndex(g, g.op("Floor", g.reduce("ReduceMin", left, true, 0)), dimW);
            String x1 = clampIndex(g, g.op("Ceil", g.reduce("ReduceMax", right, true, 0)), dimW);
            String pads = g.concat(0, g.longs(0, 0), y0, x0, g.longs(0, 0), g.sub(dimH, y1), g.sub(dimW, x1));
            return new FrameBox(x0, x1, y0, y1, pads);
        }

        /** The box's pixel-centre columns as floats. */
        String xs(GraphBuilder g) {
            return range(g, x0, x1);
        }

        /** The box's pixel-centre rows as floats. */
        String ys(GraphBuilder g) {
            return range(g, y0, y1);
        }

        /** Values computed in the box ([B, F, channels, m, n]) placed in the frame: [BF, channels, H, W], zero outside. */
        String place(GraphBuilder g, String inBox, long channels) {
            String shape = g.concat(0, g.longs(-1), g.longs(channels), g.sub(y1, y0), g.sub(x1, x0));
            return g.op("Pad", g.reshape(inBox, shape), pads);
        }

        private static String range(GraphBuilder g, String from, String to) {
            String r = g.op("Range", List.of(g.squeeze(from, 0), g.squeeze(to, 0), g.longScalar(1)), null);
            return g.op("Cast", List.of(r), null, Attribute.of("to", 1L));
        }

        /** A float [1] rounded pixel index as int64, clamped to [0, size]. */
        private static String clampIndex(GraphBuilder g, String index, String size) {
            String asLong = g.op("Cast", List.of(index), null, Attribute.of("to", 7L));
            return g.op("Min", g.op("Max", asLong, g.longs(0)), size);
        }
    }

    private static String landmarkCoord(GraphBuilder g, String lm, int landmark, int axis) {
        return g.gather(g.gather(lm, scalarIndex(g, landmark), 1), scalarIndex(g, axis), 1); // [B]
    }

    private static String channel(GraphBuilder g, String motion, int index) {
        return g.gather(motion, scalarIndex(g, index), 2); // [B,F]
    }

    /**
     * The history variant's motion: the head's pitch, yaw and roll arrive as per-frame changes ({@link
     * A2LGraph#HEAD_CARRY}), and the head starts where it is in the frame before the segment — measured ({@link HeadTracker}): the nose bridge's shift is 0.45·pitch
     * and 0.5·yaw face heights ({@link #headShiftY}, {@link #headShiftX}), the rotation about it the roll — from
     * where the changes add up. Before the video's first frame the history is black (zeros) and the head starts at
     * rest.
     */
    private static String chainedMotion(GraphBuilder g, String lm, String faceSize) {
        String previous = g.gather("motion_frames", scalarIndex(g, 0), 2); // [B,3,H,W]
        String pose = HeadTracker.motion(
                g,
                "reference_latents",
                previous,
                landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 0),
                landmarkCoord(g, lm, FaceRig.NOSE_BRIDGE, 1),
                faceSize); // [B,3]
        String seen = g.op(
                "Cast",
                List.of(g.op("Greater", g.reduce("ReduceMax", g.op("Abs", previous), false, 1, 2, 3), g.scalar(0f))),
                null,
                Attribute.of("to", 1L)); // [B]: 0 before the video's start
        String startYaw = g.div(g.mul(g.gather(pose, scalarIndex(g, 0), 1), g.scalar(2f)), faceSize);
        String startPitch = g.div(g.gather(pose, scalarIndex(g, 1), 1), g.mul(faceSize, g.scalar(0.45f)));
        String startRoll = g.gather(pose, scalarIndex(g, 2), 1);
        // Pitch, yaw and roll are consecutive channels: carried together.
        String starts = g.mul(
                g.concat(1, g.unsqueeze(startPitch, 1), g.unsqueeze(startYaw, 1), g.unsqueeze(startRoll, 1)),
                g.unsqueeze(seen, 1)); // [B,3]
        String angles = continued(
                g,
                starts,
                g.op("Slice", List.of("motion", g.longs(Motion.PITCH), g.longs(Motion.ROLL + 1), g.longs(2)), null));
        return g.concat(
                2,
                g.op("Slice", List.of("motion", g.longs(0), g.longs(Motion.PITCH), g.longs(2)), null),
                angles,
                g.op("Slice", List.of("motion", g.longs(Motion.ROLL + 1), g.longs(Motion.COUNT), g.longs(2)), null));
    }

    /**
     * Angles over the segment: their starts [B, A] carried from frame to frame with {@link A2LGraph#HEAD_CARRY},
     * plus each frame's changes [B, F, A]: angle(f) = c^(f+1)·start + Σ_{j≤f} c^(f−j)·change(j), as a product with
     * the [F, F] matrix of the powers c^(f−j).
     */
    private static String continued(GraphBuilder g, String starts, String changes) {
        String frames = g.gather(g.op("Shape", "motion"), g.longs(1), 0);
        String f = g.op(
                "Cast",
                List.of(g.op("Range", List.of(g.longScalar(0), g.squeeze(frames, 0), g.longScalar(1)), null)),
                null,
                Attribute.of("to", 1L)); // [F]
        String carry = g.scalar(A2LGraph.HEAD_CARRY);
        String lag = g.sub(g.unsqueeze(f, 1), g.unsqueeze(f, 0)); // [F,F]: f − j
        String powers = g.op(
                "Where",
                List.of(g.op("GreaterOrEqual", lag, g.scalar(0f)), g.op("Pow", carry, lag), g.scalar(0f)),
                null);
        String carried = g.op("MatMul", powers, changes); // [B,F,A]
        String fromStart =
                g.mul(g.unsqueeze(starts, 1), g.unsqueeze(g.op("Pow", carry, g.add(f, g.scalar(1f))), 0, 2)); // [B,F,A]
        return g.add(fromStart, carried);
    }

    private static String scalarIndex(GraphBuilder g, long index) {
        return g.longScalar(index);
    }

    private static String scalarLong(GraphBuilder g, long value) {
        return g.longScalar(value);
    }
}
