package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.loopline.ingest.internals.MouthAnalyzer.MouthNotFound;
import io.loopline.ingest.internals.MouthAnalyzer.Opening;
import io.loopline.ingest.internals.MouthAnalyzer.Shape;
import io.loopline.ingest.internals.MouthAnalyzer.State;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/**
 * The mouth's rest state on synthetic face meshes (every length known) and synthetic pictures of
 * lips, teeth and a dark mouth interior; the real portraits are in {@link MouthRestOnPortraitsTest}.
 */
class MouthAnalyzerTest {

    /** A mouth drawn in eye distances around the lip centre (image y down). */
    record Mouth(float gap, float width, float lift, float upperThickness, float lowerThickness) {
        static Mouth closed() {
            return new Mouth(0, 0.85f, 0.02f, 0.075f, 0.13f);
        }

        Mouth withGap(float g) {
            return new Mouth(g, width, lift, upperThickness, lowerThickness);
        }

        Mouth withLift(float l) {
            return new Mouth(gap, width, l, upperThickness, lowerThickness);
        }

        Mouth withWidth(float w) {
            return new Mouth(gap, w, lift, upperThickness, lowerThickness);
        }
    }

    /**
     * 468 mesh points with the eyes and lips of {@code m}, rotated by {@code rollDegrees}, scaled to
     * {@code eyePixels} and centred at ({@code cx}, {@code cy}); the other points stay at the origin.
     */
    static float[] mesh(Mouth m, float rollDegrees, float eyePixels, float cx, float cy) {
        float[] p = new float[468 * 3];
        set(p, MouthAnalyzer.RIGHT_EYE_OUTER, -0.7f, -1.0f);
        set(p, MouthAnalyzer.RIGHT_EYE_INNER, -0.3f, -1.0f);
        set(p, MouthAnalyzer.LEFT_EYE_INNER, 0.3f, -1.0f);
        set(p, MouthAnalyzer.LEFT_EYE_OUTER, 0.7f, -1.0f);
        int n = MouthAnalyzer.INNER_UPPER.length;
        for (int k = 0; k < n; k++) {
            float t = k / (float) (n - 1); // 0 at the subject's right corner, 1 at the left
            float bulge = (float) Math.sin(Math.PI * t); // 0 at the corners, 1 at the centre
            float xInner = (t - 0.5f) * m.width() * 0.9f;
            float xOuter = (t - 0.5f) * m.width();
            // A smile lifts the corners: a parabola through the centre, lift × eye distance at the corners.
            float rise = -m.lift() * 4 * (t - 0.5f) * (t - 0.5f);
            set(p, MouthAnalyzer.INNER_UPPER[k], xInner, rise - m.gap() / 2 * bulge);
            set(p, MouthAnalyzer.INNER_LOWER[k], xInner, rise + m.gap() / 2 * bulge);
            set(p, MouthAnalyzer.OUTER_UPPER[k], xOuter, rise - (m.gap() / 2 + m.upperThickness()) * bulge);
            set(p, MouthAnalyzer.OUTER_LOWER[k], xOuter, rise + (m.gap() / 2 + m.lowerThickness()) * bulge);
        }
        double a = Math.toRadians(rollDegrees);
        float cos = (float) Math.cos(a), sin = (float) Math.sin(a);
        for (int i = 0; i < 468; i++) {
            float x = p[3 * i], y = p[3 * i + 1];
            p[3 * i] = cx + eyePixels * (cos * x - sin * y);
            p[3 * i + 1] = cy + eyePixels * (sin * x + cos * y);
        }
        return p;
    }

    private static void set(float[] p, int i, float x, float y) {
        p[3 * i] = x;
        p[3 * i + 1] = y;
    }

    @Test
    void aClosedMouthMeasuresItsDrawnProportions() throws Exception {
        Shape s = MouthAnalyzer.shape(mesh(Mouth.closed(), 0, 100, 200, 300));
        assertThat(s.eyeDistancePx()).isCloseTo(100f, within(0.01f));
        assertThat(s.lipGap()).isCloseTo(0f, within(1e-4f));
        assertThat(s.lipGapProfile()).hasSize(9).containsOnly(0f);
        assertThat(s.mouthWidth()).isCloseTo(0.85f, within(1e-3f));
        assertThat(s.upperLipThickness()).isCloseTo(0.075f, within(1e-3f));
        assertThat(s.lowerLipThickness()).isCloseTo(0.13f, within(1e-3f));
        assertThat(s.cornerLift()).isCloseTo(0.02f, within(1e-3f));
        assertThat(MouthAnalyzer.classify(s, Opening.UNCHECKED)).isEqualTo(State.CLOSED);
    }

    @Test
    void theFiguresDoNotDependOnSizePositionOrHeadRoll() throws Exception {
        Mouth smile = Mouth.closed().withGap(0.12f).withLift(0.1f).withWidth(1.0f);
        Shape reference = MouthAnalyzer.shape(mesh(smile, 0, 100, 200, 300));
        for (float[] variant : new float[][] {
            mesh(smile, 0, 25, 40, 60), mesh(smile, 25, 100, 200, 300), mesh(smile, -40, 300, 900, 700)
        }) {
            Shape s = MouthAnalyzer.shape(variant);
            assertThat(s.lipGap()).isCloseTo(reference.lipGap(), within(1e-3f));
            assertThat(s.mouthWidth()).isCloseTo(reference.mouthWidth(), within(1e-3f));
            assertThat(s.cornerLift()).isCloseTo(reference.cornerLift(), within(1e-3f));
            assertThat(s.upperLipThickness()).isCloseTo(reference.upperLipThickness(), within(1e-3f));
            assertThat(s.lipGapProfile()).containsExactly(reference.lipGapProfile(), within(1e-3f));
        }
    }

    @Test
    void theGapProfileRunsCornerToCornerAndPeaksAtTheCentre() throws Exception {
        Shape s = MouthAnalyzer.shape(mesh(Mouth.closed().withGap(0.2f), 0, 100, 200, 300));
        assertThat(s.lipGap()).isCloseTo(0.2f, within(1e-3f));
        float[] profile = s.lipGapProfile();
        assertThat(profile[4]).isCloseTo(0.2f, within(1e-3f));
        assertThat(profile[0]).isLessThan(profile[2]).isCloseTo(profile[8], within(1e-4f));
        assertThat(profile[2]).isLessThan(profile[4]);
    }

    @Test
    void lipsApartArePartedFromTheMeshAloneAndAHairlineStaysClosed() throws Exception {
        assertThat(MouthAnalyzer.classify(
                        MouthAnalyzer.shape(mesh(Mouth.closed().withGap(0.08f), 0, 100, 200, 300)), Opening.UNCHECKED))
                .isEqualTo(State.PARTED);
        assertThat(MouthAnalyzer.classify(
                        MouthAnalyzer.shape(mesh(Mouth.closed().withGap(0.03f), 0, 100, 200, 300)), Opening.UNCHECKED))
                .isEqualTo(State.CLOSED);
    }

    @Test
    void teethNeedBothAShareOfTheOpeningAndARealArea() throws Exception {
        Shape parted = MouthAnalyzer.shape(mesh(Mouth.closed().withGap(0.12f), 0, 100, 200, 300));
        assertThat(MouthAnalyzer.classify(parted, new Opening(500, 0.4f, 0.02f, 1.1f, true)))
                .isEqualTo(State.TEETH);
        assertThat(MouthAnalyzer.classify(parted, new Opening(500, 0.05f, 0.0025f, 0.6f, true)))
                .as("a glint")
                .isEqualTo(State.PARTED);
        assertThat(MouthAnalyzer.classify(parted, new Opening(40, 0.5f, 0.001f, 1.0f, true)))
                .as("a speck")
                .isEqualTo(State.PARTED);
        assertThat(MouthAnalyzer.classify(parted, new Opening(500, 0.4f, 0.02f, 1.1f, false)))
                .as("unchecked pixels")
                .isEqualTo(State.PARTED);
    }

    @Test
    void aSmileLiftsTheCornersAndAFrownLowersThem() throws Exception {
        assertThat(MouthAnalyzer.shape(mesh(Mouth.closed().withLift(0.12f), 0, 100, 200, 300))
                        .cornerLift())
                .isCloseTo(0.12f, within(1e-3f));
        assertThat(MouthAnalyzer.shape(mesh(Mouth.closed().withLift(-0.05f), 10, 100, 200, 300))
                        .cornerLift())
                .isCloseTo(-0.05f, within(1e-3f));
    }

    @Test
    void aDegenerateMeshMouthIsNotAMouth() {
        assertThatThrownBy(() -> MouthAnalyzer.shape(mesh(Mouth.closed().withWidth(0.1f), 0, 100, 200, 300)))
                .isInstanceOf(MouthNotFound.class)
                .hasMessageContaining("no usable mouth");
        assertThatThrownBy(() -> MouthAnalyzer.shape(mesh(Mouth.closed().withWidth(-0.8f), 0, 100, 200, 300)))
                .isInstanceOf(MouthNotFound.class)
                .hasMessageContaining("corners crossed");
        assertThatThrownBy(() -> MouthAnalyzer.shape(mesh(Mouth.closed().withGap(-0.2f), 0, 100, 200, 300)))
                .isInstanceOf(MouthNotFound.class)
                .hasMessageContaining("lips cross");
        assertThatThrownBy(() -> MouthAnalyzer.shape(new float[468 * 3]))
                .isInstanceOf(MouthNotFound.class)
                .hasMessageContaining("eyes");
    }

    @Test
    void lipsOverlappingByMeshNoiseCountAsClosed() throws Exception {
        Shape s = MouthAnalyzer.shape(mesh(Mouth.closed().withGap(-0.02f), 0, 100, 200, 300));
        assertThat(s.lipGap()).isZero();
        assertThat(s.lipGapProfile()).containsOnly(0f);
    }

    @Test
    void aMouthLeavingThePictureIsRefused() throws Exception {
        float[] inside = mesh(Mouth.closed(), 0, 100, 200, 300);
        MouthAnalyzer.checkInside(inside, 400, 400, "image");
        assertThatThrownBy(() -> MouthAnalyzer.checkInside(inside, 400, 310, "image"))
                .isInstanceOf(MouthNotFound.class)
                .hasMessage("The mouth is cut off by the image's edge; use a portrait that shows the whole mouth.");
        assertThatThrownBy(() -> MouthAnalyzer.checkInside(mesh(Mouth.closed(), 0, 100, 20, 300), 400, 400, "frame"))
                .isInstanceOf(MouthNotFound.class)
                .hasMessageContaining("frame's edge");
    }

    @Test
    void theTeethPixelRuleFollowsRealPortraits() {
        // Lips as measured on real photos: luma 0.4–0.7, redness 0.10–0.28.
        assertThat(MouthAnalyzer.isTeeth(0.85f, 0.03f, 0.6f, 0.12f))
                .as("white teeth")
                .isTrue();
        assertThat(MouthAnalyzer.isTeeth(0.55f, 0.12f, 0.45f, 0.21f))
                .as("yellowish teeth")
                .isTrue();
        assertThat(MouthAnalyzer.isTeeth(0.20f, 0.25f, 0.45f, 0.21f))
                .as("dark mouth interior")
                .isFalse();
        assertThat(MouthAnalyzer.isTeeth(0.50f, 0.22f, 0.45f, 0.21f))
                .as("tongue, as red as the lips")
                .isFalse();
        assertThat(MouthAnalyzer.isTeeth(0.80f, 0.00f, 0.55f, 0.00f))
                .as("grayscale, clearly brighter")
                .isTrue();
        assertThat(MouthAnalyzer.isTeeth(0.60f, 0.00f, 0.55f, 0.00f))
                .as("grayscale, barely brighter")
                .isFalse();
    }

    @Test
    void whiteBetweenTheLipsIsTeethAndDarkIsParted() throws Exception {
        float[] landmarks = mesh(Mouth.closed().withGap(0.14f).withLift(0.08f).withWidth(1.0f), 0, 80, 200, 200);
        float mouthPixels = MouthAnalyzer.mouthPixels(landmarks);
        try (Mat teeth = paint(landmarks, new int[] {235, 240, 245});
                Mat dark = paint(landmarks, new int[] {40, 20, 25})) {
            MouthAnalyzer.Measurement smile = MouthAnalyzer.measure(teeth, landmarks, mouthPixels);
            assertThat(smile.state()).isEqualTo(State.TEETH);
            assertThat(smile.opening().teethFraction()).isGreaterThan(0.9f);
            assertThat(smile.uncertainty()).isNull();
            MouthAnalyzer.Measurement parted = MouthAnalyzer.measure(dark, landmarks, mouthPixels);
            assertThat(parted.state()).isEqualTo(State.PARTED);
            assertThat(parted.opening().teethFraction()).isZero();
            assertThat(parted.opening().interiorBrightness()).isLessThan(0.5f);
        }
    }

    @Test
    void aMouthTooSmallInTheUploadIsJudgedFromTheMeshWithAWarningSentence() throws Exception {
        float[] landmarks = mesh(Mouth.closed().withGap(0.14f), 0, 80, 200, 200);
        try (Mat teeth = paint(landmarks, new int[] {235, 240, 245})) {
            MouthAnalyzer.Measurement m = MouthAnalyzer.measure(teeth, landmarks, 12);
            assertThat(m.state()).as("teeth not looked for").isEqualTo(State.PARTED);
            assertThat(m.opening().checked()).isFalse();
            assertThat(m.uncertainty())
                    .isEqualTo(
                            "The mouth is only 12 pixels wide in the image, too few to see whether teeth show; it is animated from its outline alone.");
        }
    }

    /** Skin, red lips, and the opening between the inner lips in {@code rgb}. */
    static Mat paint(float[] landmarks, int[] rgb) {
        Mat image = new Mat(400, 400, CV_8UC3, new Scalar(150, 170, 210, 0));
        float[] outer = polygon(landmarks, MouthAnalyzer.OUTER_UPPER, MouthAnalyzer.OUTER_LOWER);
        float[] inner = polygon(landmarks, MouthAnalyzer.INNER_UPPER, MouthAnalyzer.INNER_LOWER);
        try (UByteIndexer px = image.createIndexer()) {
            for (int y = 0; y < 400; y++) {
                for (int x = 0; x < 400; x++) {
                    int[] bgr = MouthAnalyzer.inside(inner, x + 0.5f, y + 0.5f)
                            ? new int[] {rgb[2], rgb[1], rgb[0]}
                            : MouthAnalyzer.inside(outer, x + 0.5f, y + 0.5f) ? new int[] {80, 75, 175} : null;
                    if (bgr != null) {
                        px.put(y, x, 0, bgr[0]).put(y, x, 1, bgr[1]).put(y, x, 2, bgr[2]);
                    }
                }
            }
        }
        return image;
    }

    static float[] polygon(float[] landmarks, int[] upper, int[] lower) {
        return MouthAnalyzer.contour(landmarks, upper, lower);
    }
}
