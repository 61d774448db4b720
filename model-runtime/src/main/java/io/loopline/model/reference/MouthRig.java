package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import io.loopline.tensor.FaceMesh;
import java.util.List;

/**
 * The reference pack's mouth and jaw, as parts of the oracle denoiser's ONNX graph.
 *
 * <p>The mouth starts from its rest state as the face mesh measured it: the inner-lip contours give,
 * per image column, the rest midline between the lips and the rest gap (0 for closed lips, more for
 * parted lips or a smile showing teeth). Everything above the moving midline follows the upper lip,
 * everything below follows the lower lip and the jaw, so the lips part along their own contour:
 * <ul>
 *   <li>the jaw opening drops the lower lip with a profile pinned at the mouth corners, carries chin and
 *       lower cheeks (fading towards the face's sides, where the jaw's pivot in front of the ears is, and
 *       towards the neck), and lifts the upper lip a little;</li>
 *   <li>closure brings the lips together over their rest gap (bilabials, silence), so an open or smiling
 *       reference can close its mouth as well as open it wider;</li>
 *   <li>where the lips part beyond their rest gap, a mouth interior is drawn between the moving inner-lip
 *       edges (never an ellipse): a shaded oral cavity, upper teeth under the upper lip, lower teeth that
 *       ride on the jaw on wide openings, a tongue, with colours from the portrait itself. A reference
 *       that already shows its teeth keeps its own: they move with their lip, and only the cavity is added.
 *       Edges are anti-aliased by the exact pixel coverage of the gap.</li>
 * </ul>
 * The motion is evaluated in the mouth's frame: the head's shift and roll at the mouth and the lip corners'
 * own movement (spread, rounding) are applied to the contours before the gap is found.
 */
final class MouthRig {

    static final int[] INNER_UPPER = FaceMesh.INNER_UPPER_LIP;
    static final int[] INNER_LOWER = FaceMesh.INNER_LOWER_LIP;
    private static final int OUTER_UPPER = FaceMesh.UPPER_LIP_TOP;
    private static final int OUTER_LOWER = FaceMesh.LOWER_LIP_BOTTOM;
    private static final int FACE_RIGHT = FaceMesh.FACE_RIGHT;
    private static final int FACE_LEFT = FaceMesh.FACE_LEFT;

    /** Lower-lip drop at full jaw opening, in face heights (chin to forehead). */
    static final float OPENING = 0.13f;
    /** The largest opening as a share of the mouth's width as the portrait shows it (corner to corner). */
    private static final float OPENING_PER_WIDTH = 0.4f;
    /** Skin chroma (max − min of its RGB, 0..1) at and above which drawn teeth and tongue keep their full colour. */
    private static final float SKIN_CHROMA = 0.15f;
    /** The share of an opening taken by the upper lip's lift; the lower lip and jaw take the rest. */
    private static final float UPPER_LIFT_SHARE = 0.15f;
    /** The part of a rest gap (0 upper inner lip … 1 lower) searched for the line where the mouth's parts meet. */
    private static final float SPLIT_FROM = 0.4f;

    private static final float SPLIT_TO = 0.92f;
    private static final int SPLIT_SAMPLES = 12;
    /**
     * Rest gap, in face heights, above which the portrait's own teeth or cavity show. Relative to the face, not
     * the mouth's width, which a turned head narrows: a 3/4 view's closed lips are not an open mouth.
     */
    private static final float OPEN_AT_REST = 0.025f;
    /** Tooth edges across the mouth's half width from its centre: central incisors, laterals, canines. */
    private static final float[] TOOTH_GAPS = {0f, -0.34f, 0.34f, -0.56f, 0.56f, -0.74f, 0.74f};

    private final GraphBuilder g;
    // Per batch item, [B, 1, 1]: rest mouth centre and half width, lip thicknesses, chin, face half width.
    private final String cx0;
    private final String hw0;
    private final String upperThickness;
    private final String lowerThickness;
    private final String chinY;
    private final String faceHalfWidth;
    private final String size;
    /** How much the renderer must draw teeth itself: 1 for a closed mouth at rest, 0 when the portrait shows its own. */
    private final String drawnTeeth;

    private final String tongueColour;
    private final String cavityColour;
    /** The share of each rest gap above the line where the upper and lower parts of the mouth meet, [B, 1, 1]. */
    private final String restSplit;
    // Knots of the inner-lip contours: [B, 1, K, 1] positions across the mouth (−1 … 1 corner to corner), rows.
    private final String knotU;
    private final String knotUpper;
    private final String knotLower;
    /** Half the distance between the inner lip corners, in outer half widths, [B, 1, 1]. */
    private final String innerSpan;
    // Per frame, [B, F, 1]: the head's shift and roll at the mouth, the moving corners, opening, closure, shape.
    private final String headDx;
    private final String headDy;
    private final String roll;
    private final String movedCx;
    private final String movedHw;
    private final String upperLift;
    private final String lowerDrop;
    private final String closure;
    private final String profileExponent;
    // Colours from the portrait, [B, 1, 3, 1, 1] in [0, 1].
    private final String lipColour;
    private final String teethColour;

    /**
     * @param lm          landmarks (x, y), [B, 468, 2]
     * @param faceSize    chin-to-forehead distance, [B]
     * @param motion      the motion latents, [B, F, M]
     * @param headDx      the head's horizontal shift at the mouth, [B, F]
     * @param headDy      the head's vertical shift at the mouth, [B, F]
     * @param roll        the head's roll, [B, F]
     * @param cornerRight the right lip corner's horizontal movement, [B, F]
     * @param cornerLeft  the left lip corner's horizontal movement, [B, F]
     * @param reference   the reference image, [B, 3, H, W] in [−1, 1]
     */
    MouthRig(
            GraphBuilder g,
            String lm,
            String faceSize,
            String motion,
            String headDx,
            String headDy,
            String roll,
            String cornerRight,
            String cornerLeft,
            String reference) {
        this.g = g;
        String right = x(lm, FaceRig.MOUTH_RIGHT);
        String left = x(lm, FaceRig.MOUTH_LEFT);
        String cx = g.mul(g.add(right, left), g.scalar(0.5f)); // [B]
        String hw = g.op("Max", g.mul(g.op("Abs", g.sub(left, right)), g.scalar(0.5f)), g.scalar(1f));
        String s = faceSize;
        String minThickness = g.mul(s, g.scalar(0.01f));
        String tu = g.op("Max", g.sub(y(lm, FaceRig.UPPER_LIP), y(lm, OUTER_UPPER)), minThickness);
        String tl = g.op("Max", g.sub(y(lm, OUTER_LOWER), y(lm, FaceRig.LOWER_LIP)), minThickness);
        String restGap = g.op("Relu", g.sub(y(lm, FaceRig.LOWER_LIP), y(lm, FaceRig.UPPER_LIP)));
        String teeth = g.clip(g.sub(g.scalar(1.2f), g.div(restGap, g.mul(s, g.scalar(OPEN_AT_REST)))), 0f, 1f);
        String faceHalf = g.op(
                "Max", g.mul(g.op("Abs", g.sub(x(lm, FACE_LEFT), x(lm, FACE_RIGHT))), g.scalar(0.5f)), g.scalar(1f));

        cx0 = g.unsqueeze(cx, 1, 2);
        hw0 = g.unsqueeze(hw, 1, 2);
        upperThickness = g.unsqueeze(tu, 1, 2, 3);
        lowerThickness = g.unsqueeze(tl, 1, 2, 3);
        chinY = g.unsqueeze(y(lm, FaceRig.CHIN), 1, 2, 3);
        faceHalfWidth = g.unsqueeze(faceHalf, 1, 2);
        size = g.unsqueeze(s, 1, 2);
        drawnTeeth = g.unsqueeze(teeth, 1, 2, 3);

        String upperPoints = g.gather(lm, g.longs(toLongs(INNER_UPPER)), 1); // [B,K,2]
        String lowerPoints = g.gather(lm, g.longs(toLongs(INNER_LOWER)), 1);
        String upperX = g.gather(upperPoints, g.longScalar(0), 2); // [B,K]
        String lowerX = g.gather(lowerPoints, g.longScalar(0), 2);
        String knotX = g.mul(g.add(upperX, lowerX), g.scalar(0.5f));
        String knotUs = g.div(g.sub(knotX, g.unsqueeze(cx, 1)), g.unsqueeze(hw, 1)); // [B,K]
        knotU = g.unsqueeze(knotUs, 1, 3); // [B,1,K,1]
        // The lips part between their inner corners, a little inside the outer ones the motion moves.
        String innerHalf = g.mul(
                g.sub(g.gather(knotUs, g.longScalar(INNER_UPPER.length - 1), 1), g.gather(knotUs, g.longScalar(0), 1)),
                g.scalar(0.5f)); // [B]
        innerSpan = g.unsqueeze(g.clip(innerHalf, 0.5f, 1f), 1, 2);
        knotUpper = g.unsqueeze(g.gather(upperPoints, g.longScalar(1), 2), 1, 3);
        knotLower = g.unsqueeze(g.gather(lowerPoints, g.longScalar(1), 2), 1, 3);

        this.headDx = g.unsqueeze(headDx, 2);
        this.headDy = g.unsqueeze(headDy, 2);
        this.roll = g.unsqueeze(roll, 2);
        movedCx = g.add(g.add(cx0, this.headDx), g.unsqueeze(g.mul(g.add(cornerRight, cornerLeft), g.scalar(0.5f)), 2));
        movedHw = g.op(
                "Max", g.add(hw0, g.unsqueeze(g.mul(g.sub(cornerLeft, cornerRight), g.scalar(0.5f)), 2)), g.scalar(1f));
        String jaw = g.clip(channel(motion, Motion.JAW), 0f, 1.5f); // [B,F,1]
        // A mouth seen narrow (a turned head, a small mouth under a moustache, a chin lost in a beard) opens less.
        String fullOpening = g.op("Min", g.mul(size, g.scalar(OPENING)), g.mul(hw0, g.scalar(2 * OPENING_PER_WIDTH)));
        String opening = g.mul(jaw, fullOpening);
        upperLift = g.mul(opening, g.scalar(UPPER_LIFT_SHARE));
        lowerDrop = g.mul(opening, g.scalar(1f - UPPER_LIFT_SHARE));
        closure = g.clip(channel(motion, Motion.CLOSE), 0f, 1f);
        // Spread lips part as a long slit with a flat middle, rounded ones as an oval.
        profileExponent = g.clip(g.add(g.scalar(2f), g.mul(channel(motion, Motion.WIDTH), g.scalar(1.5f))), 1.5f, 4f);

        // Colours: the lower lip's red, and teeth from the portrait where it shows them, ivory in the portrait's light
        // otherwise.
        String lip = sampleMean(reference, lm, new int[] {14, 87, 317}, new int[] {17, 84, 314});
        String skin = sampleMean(reference, lm, new int[] {205, 425, 50, 280}, new int[] {205, 425, 50, 280});
        String ownTeeth = sampleMean(reference, lm, new int[] {13, 82, 312}, new int[] {14, 87, 317}, 0.3f);
        // Where the upper and lower parts of an open rest mouth meet: the darkest line across the lower part of the
        // gap (a smile's upper teeth end there, over the lower teeth or the lower lip), found softly so that nearly
        // equal rows share the choice; the upper teeth then stay whole on the upper lip.
        float[] fractions = new float[SPLIT_SAMPLES];
        String[] lumas = new String[SPLIT_SAMPLES];
        for (int k = 0; k < SPLIT_SAMPLES; k++) {
            fractions[k] = SPLIT_FROM + (SPLIT_TO - SPLIT_FROM) * k / (SPLIT_SAMPLES - 1);
            lumas[k] = luma(sampleMean(reference, lm, new int[] {13, 82, 312}, new int[] {14, 87, 317}, fractions[k]));
        }
        String darkest = g.op(
                "Softmax",
                List.of(g.div(g.concat(1, lumas), g.scalar(-0.03f))),
                null,
                Attribute.of("axis", 1L)); // [B,K]
        restSplit = g.unsqueeze(
                g.reduceSum(g.mul(darkest, g.tensor(fractions, 1, SPLIT_SAMPLES)), false, 1), 1, 2); // [B,1,1]
        String skinLuma = luma(skin); // [B,1]
        // Ivory in the portrait's light and tint (a painting's yellowed varnish yellows its teeth too).
        String tint = g.add(g.scalar(0.7f), g.mul(g.div(skin, g.add(skinLuma, g.scalar(1e-3f))), g.scalar(0.3f)));
        String ivory = g.mul(
                g.mul(g.tensor(new float[] {0.86f, 0.82f, 0.74f}, 1, 3), tint),
                g.clip(g.div(skinLuma, g.scalar(0.62f)), 0.6f, 1.1f));
        // Drawn colours are only as colourful as the portrait's skin: an engraving or a black-and-white photo gets
        // grey teeth and tongue, not ivory and pink.
        String colourfulness = g.clip(
                g.div(
                        g.sub(g.reduce("ReduceMax", skin, true, 1), g.reduce("ReduceMin", skin, true, 1)),
                        g.scalar(SKIN_CHROMA)),
                0f,
                1f); // [B,1]
        ivory = desaturated(ivory, colourfulness);
        String t = g.unsqueeze(teeth, 1); // [B,1]
        String teethRgb = g.add(g.mul(ivory, t), g.mul(ownTeeth, g.sub(g.scalar(1f), t)));
        lipColour = g.unsqueeze(lip, 1, 3, 4);
        // The cavity: the lips' red, deep in shadow.
        cavityColour = g.unsqueeze(
                desaturated(g.mul(lip, g.tensor(new float[] {0.36f, 0.22f, 0.22f}, 1, 3)), colourfulness), 1, 3, 4);
        tongueColour = g.unsqueeze(
                desaturated(g.mul(lip, g.tensor(new float[] {0.62f, 0.5f, 0.5f}, 1, 3)), colourfulness), 1, 3, 4);
        teethColour = g.unsqueeze(teethRgb, 1, 3, 4);
    }

    /** Per-column quantities along columns {@code xs} ([n], pixel centres), each [B, F, n]. */
    private final class Columns {
        final String u;
        final String skullU;
        final String profile;
        final String midline;
        final String restGap;
        final String upperMid;
        final String lowerMid;
        final String movedMidline;
        final String softness;
        final String jawSpread;

        Columns(String xs) {
            String x = g.unsqueeze(xs, 0, 1); // [1,1,n]
            u = g.div(g.sub(x, movedCx), movedHw);
            String fromCentre = g.sub(g.sub(x, cx0), headDx);
            skullU = g.div(fromCentre, hw0);
            String absU = g.op("Abs", u);
            String absInner = g.div(absU, innerSpan);
            profile = g.op(
                    "Pow", g.op("Relu", g.sub(g.scalar(1f), g.op("Pow", absInner, profileExponent))), g.scalar(1.5f));
            // The rest contours at this column.
            String[] rest = Contours.at(g, u, knotU, 2, 0.1f, knotUpper, knotLower); // [B,F,n] each
            String upper = rest[0];
            String lower = rest[1];
            // Rows in the output: the head's shift and roll at the mouth carry the contours.
            String shift = g.add(headDy, g.mul(roll, fromCentre));
            // Where the upper and lower parts meet: lower than halfway, since a smile shows more of its upper teeth.
            midline = g.add(g.add(upper, g.mul(g.sub(lower, upper), restSplit)), shift);
            restGap = g.op("Relu", g.sub(lower, upper));
            String close = g.mul(g.mul(closure, restGap), g.scalar(0.5f));
            upperMid = g.sub(close, g.mul(upperLift, profile));
            lowerMid = g.sub(g.mul(lowerDrop, profile), close);
            movedMidline = g.add(midline, g.mul(g.add(upperMid, lowerMid), g.scalar(0.5f)));
            // Between the corners the lips split sharply; beyond them the cheeks stretch smoothly.
            softness =
                    g.add(g.scalar(0.5f), g.mul(g.mul(hw0, g.scalar(0.3f)), g.op("Relu", g.sub(absU, g.scalar(0.9f)))));
            String q = g.div(fromCentre, g.mul(faceHalfWidth, g.scalar(0.75f)));
            String q2 = g.mul(q, q);
            jawSpread = g.mul(g.op("Exp", g.op("Neg", g.mul(q2, q2))), g.scalar(0.9f));
        }
    }

    /**
     * The vertical movement of the mouth, lips, chin and lower cheeks at the grid {@code xs} × {@code ys}
     * (pixel centres): [B, F, m, n].
     */
    String verticalFlow(String xs, String ys) {
        Columns c = new Columns(xs);
        String rows = g.unsqueeze(ys, 0, 1, 3); // [1,1,m,1]
        String below = g.sub(rows, g.unsqueeze(c.midline, 2)); // [B,F,m,n]: + under the rest midline
        String aboveBy = g.op("Relu", g.op("Neg", below));
        String belowBy = g.op("Relu", below);
        // The upper lip's movement fades over two lip thicknesses towards the nose.
        String upperFade = gaussianFade(aboveBy, g.mul(upperThickness, g.scalar(2f)));
        String up = g.mul(g.unsqueeze(c.upperMid, 2), upperFade);
        // Under the lower lip the jaw takes over from the lip profile; closure moves only the lips; the neck stays.
        String lowerScale = g.mul(lowerThickness, g.scalar(1.5f));
        String towardsJaw = g.clip(g.div(belowBy, lowerScale), 0f, 1f);
        String lateral = g.add(
                g.unsqueeze(c.profile, 2),
                g.mul(towardsJaw, g.sub(g.unsqueeze(c.jawSpread, 2), g.unsqueeze(c.profile, 2))));
        String chin = g.add(chinY, g.unsqueeze(headDy, 3));
        String neck = g.op(
                "Sigmoid",
                g.div(
                        g.sub(g.add(chin, g.mul(g.unsqueeze(size, 3), g.scalar(0.06f))), rows),
                        g.mul(g.unsqueeze(size, 3), g.scalar(0.03f))));
        String drop = g.mul(g.mul(g.unsqueeze(lowerDrop, 3), lateral), neck);
        String lipClose = g.mul(
                g.unsqueeze(g.mul(g.mul(closure, c.restGap), g.scalar(0.5f)), 2), gaussianFade(belowBy, lowerScale));
        String down = g.sub(drop, lipClose);
        String lowerPart =
                g.op("Sigmoid", g.div(g.sub(rows, g.unsqueeze(c.movedMidline, 2)), g.unsqueeze(c.softness, 2)));
        return g.add(up, g.mul(lowerPart, g.sub(down, up)));
    }

    /** The mouth interior at the grid {@code xs} × {@code ys}: its coverage [B, F, 1, m, n] and colour [B, F, 3, m, n] in [−1, 1]. */
    record Interior(String coverage, String premultiplied) {}

    Interior interior(String xs, String ys) {
        Columns c = new Columns(xs);
        String rows = g.unsqueeze(ys, 0, 1, 3); // [1,1,m,1]
        // The moving inner-lip edges, widened by the crease the lips' line leaves on each of them at rest.
        String parted = g.op("Relu", g.sub(c.lowerMid, c.upperMid));
        String crease = g.op("Min", g.mul(parted, g.scalar(0.5f)), g.mul(size, g.scalar(0.008f)));
        String top = g.unsqueeze(g.sub(g.add(c.midline, c.upperMid), crease), 2); // [B,F,1,n]
        String bottom = g.unsqueeze(g.add(g.add(c.midline, c.lowerMid), crease), 2);
        String height = g.op("Relu", g.sub(bottom, top));
        // Exact coverage of each pixel row [y − ½, y + ½] by the gap [top, bottom]: soft, anti-aliased edges.
        String coverage = g.op(
                "Relu",
                g.sub(g.op("Min", g.add(rows, g.scalar(0.5f)), bottom), g.op("Max", g.sub(rows, g.scalar(0.5f)), top)));
        String fromTop = g.sub(rows, top);
        String fromBottom = g.sub(bottom, rows);
        String hw = g.unsqueeze(hw0, 3); // [B,1,1,1]

        // Teeth span the front of the mouth; towards the corners the cavity shows (the buccal corridor).
        String absSkull = g.unsqueeze(g.op("Abs", c.skullU), 2);
        String front = g.clip(g.div(g.sub(g.scalar(0.95f), absSkull), g.scalar(0.25f)), 0f, 1f);
        String curve = g.add(g.scalar(0.84f), g.mul(g.sub(g.scalar(1f), absSkull), g.scalar(0.16f)));
        String edges = null;
        for (float gap : TOOTH_GAPS) {
            String d = g.div(g.mul(g.sub(c.skullU, g.scalar(gap)), hw0), g.scalar(0.8f));
            String line = g.op("Exp", g.op("Neg", g.mul(d, d)));
            edges = edges == null ? line : g.add(edges, line);
        }
        String toothShade =
                g.mul(curve, g.unsqueeze(g.sub(g.scalar(1f), g.mul(edges, g.scalar(0.18f))), 2)); // [B,F,1,n]

        String upperLength = g.op("Min", g.mul(height, g.scalar(0.36f)), g.mul(hw, g.scalar(0.2f)));
        String upperTeeth =
                g.mul(g.mul(g.clip(g.add(g.sub(upperLength, fromTop), g.scalar(0.5f)), 0f, 1f), front), drawnTeeth);
        String underLip = g.add(
                g.scalar(0.9f),
                g.mul(
                        g.clip(g.div(fromTop, g.add(g.mul(upperLength, g.scalar(0.35f)), g.scalar(0.5f))), 0f, 1f),
                        g.scalar(0.1f)));
        String wide = g.clip(g.div(g.sub(height, g.mul(hw, g.scalar(0.4f))), g.mul(hw, g.scalar(0.3f))), 0f, 1f);
        String lowerLength = g.mul(g.op("Min", g.mul(height, g.scalar(0.2f)), g.mul(hw, g.scalar(0.1f))), wide);
        String lowerTeeth =
                g.mul(g.mul(g.clip(g.add(g.sub(lowerLength, fromBottom), g.scalar(0.5f)), 0f, 1f), front), drawnTeeth);
        String u = g.unsqueeze(c.u, 2);
        String tongueSpan =
                g.op("Sqrt", g.op("Relu", g.sub(g.scalar(1f), g.mul(g.mul(u, u), g.scalar(1f / (0.75f * 0.75f))))));
        String tongueOpen =
                g.clip(g.div(g.sub(height, g.mul(hw, g.scalar(0.15f))), g.mul(hw, g.scalar(0.15f))), 0f, 1f);
        String tongueHeight = g.mul(g.mul(g.mul(height, g.scalar(0.4f)), tongueSpan), tongueOpen);
        // The tongue's top edge blurs over a pixel or two, and it darkens towards the back of the mouth.
        String tongue = g.clip(g.div(g.add(g.sub(tongueHeight, fromBottom), g.scalar(1f)), g.scalar(2f)), 0f, 1f);
        String tongueShade = g.add(
                g.scalar(0.65f),
                g.mul(
                        g.clip(g.div(g.sub(tongueHeight, fromBottom), g.add(tongueHeight, g.scalar(1f))), 0f, 1f),
                        g.scalar(0.35f)));
        // The cavity is darkest right under the upper lip and towards the corners.
        String depth = g.add(
                g.scalar(0.45f),
                g.mul(
                        g.clip(g.div(fromTop, g.add(g.mul(height, g.scalar(0.7f)), g.scalar(1f))), 0f, 1f),
                        g.scalar(0.55f)));
        String across = g.add(g.scalar(0.5f), g.mul(g.sub(g.scalar(1f), g.mul(u, u)), g.scalar(0.5f)));
        String cavityShade = g.mul(depth, across);

        String cavity = g.mul(cavityColour, g.unsqueeze(cavityShade, 2)); // [B,F,3,m,n]
        String colour = over(cavity, g.mul(tongueColour, g.unsqueeze(tongueShade, 2)), tongue);
        colour = over(colour, g.mul(g.mul(teethColour, g.scalar(0.72f)), g.unsqueeze(toothShade, 2)), lowerTeeth);
        colour = over(colour, g.mul(teethColour, g.unsqueeze(g.mul(toothShade, underLip), 2)), upperTeeth);
        String alpha = g.unsqueeze(coverage, 2);
        String signed = g.sub(g.mul(colour, g.scalar(2f)), g.scalar(1f));
        return new Interior(alpha, g.mul(signed, alpha));
    }

    /** The luma [B, 1] of RGB colours [B, 3]. */
    private String luma(String rgb) {
        return g.reduceSum(g.mul(rgb, g.tensor(new float[] {0.299f, 0.587f, 0.114f}, 1, 3)), true, 1);
    }

    /** RGB colours [B, 3] moved towards their own grey by 1 − {@code colourfulness} ([B, 1]). */
    private String desaturated(String rgb, String colourfulness) {
        String grey = luma(rgb);
        return g.add(grey, g.mul(g.sub(rgb, grey), colourfulness));
    }

    /** {@code below} with {@code top} painted over it where {@code alpha} ([B, F, m, n]) is 1. */
    private String over(String below, String top, String alpha) {
        String a = g.unsqueeze(alpha, 2);
        return g.add(below, g.mul(a, g.sub(top, below)));
    }

    /** exp(−(d / scale)²). */
    private String gaussianFade(String d, String scale) {
        String r = g.div(d, scale);
        return g.op("Exp", g.op("Neg", g.mul(r, r)));
    }

    private String channel(String motion, int index) {
        return g.gather(motion, g.longs(index), 2); // [B,F,1]
    }

    private String x(String lm, int id) {
        return g.gather(g.gather(lm, g.longScalar(id), 1), g.longScalar(0), 1);
    }

    private String y(String lm, int id) {
        return g.gather(g.gather(lm, g.longScalar(id), 1), g.longScalar(1), 1);
    }

    private String sampleMean(String reference, String lm, int[] from, int[] to) {
        return sampleMean(reference, lm, from, to, 0.5f);
    }

    /**
     * The mean colour of the reference at points a fraction {@code t} of the way from landmarks {@code from}
     * to landmarks {@code to}: [B, 3] in [0, 1].
     */
    private String sampleMean(String reference, String lm, int[] from, int[] to, float t) {
        String a = g.gather(lm, g.longs(toLongs(from)), 1); // [B,K,2]
        String b = g.gather(lm, g.longs(toLongs(to)), 1);
        String p = g.add(a, g.mul(g.sub(b, a), g.scalar(t)));
        String shape = g.op("Shape", reference);
        String h = g.gather(shape, g.longs(2), 0);
        String w = g.gather(shape, g.longs(3), 0);
        String wf = g.op("Cast", List.of(w), null, Attribute.of("to", 1L));
        String hf = g.op("Cast", List.of(h), null, Attribute.of("to", 1L));
        String px = clip2(g.op("Round", g.gather(p, g.longScalar(0), 2)), g.sub(wf, g.scalar(1f)));
        String py = clip2(g.op("Round", g.gather(p, g.longScalar(1), 2)), g.sub(hf, g.scalar(1f)));
        String index = g.op("Cast", List.of(g.add(g.mul(py, wf), px)), null, Attribute.of("to", 7L)); // [B,K]
        String flat = g.reshape(reference, g.concat(0, g.gather(shape, g.longs(0), 0), g.longs(3, -1))); // [B,3,HW]
        String indices = g.op(
                "Expand",
                g.unsqueeze(index, 1),
                g.concat(0, g.gather(shape, g.longs(0), 0), g.longs(3), g.longs(from.length)));
        String picked = g.op("GatherElements", List.of(flat, indices), null, Attribute.of("axis", 2L)); // [B,3,K]
        String mean = g.reduce("ReduceMean", picked, false, 2);
        return g.mul(g.add(mean, g.scalar(1f)), g.scalar(0.5f));
    }

    /** Clamps to [0, max] where max is a [1] tensor. */
    private String clip2(String v, String max) {
        return g.op("Min", g.op("Max", v, g.scalar(0f)), max);
    }

    private static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
