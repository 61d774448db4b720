package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.loopline.core.errors.RequestRejectedException;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The face analyzer on real photos, non-photographic portraits (painted, charcoal, posterized),
 * a near-profile view, and non-faces. For faces, the mesh must sit where the renderer expects it:
 * eyes level with each other and above the lips, lips above the chin, mouth corners either side of
 * the lip centre, everything inside the detected face.
 */
class FaceAnalyzerTest {

    private static FaceAnalyzer analyzer;

    @BeforeAll
    static void load() {
        analyzer = new FaceAnalyzer();
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    private static List<Face> analyze(String file) throws Exception {
        try (Mat image = TestMedia.decode(file)) {
            return analyzer.analyze(image);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "good/photo-grace-hopper.jpg",
                "good/photo-astronaut.jpg",
                "good/painted-grace-hopper.jpg",
                "good/drawn-charcoal-astronaut.jpg",
                "good/illustration-posterized-astronaut.jpg",
                "good/cmyk.jpg",
                "good/photo.webp",
                "good/grayscale.png",
                "good/sixteen-bit.png",
                "good/alpha-vignette.png"
            })
    void frontalPortraitsGetOneFaceWithAPlausibleMesh(String file) throws Exception {
        List<Face> faces = analyze(file);
        assertThat(faces).as(file).hasSize(1);
        Face face = faces.get(0);
        assertThat(face.detector()).isEqualTo("blazeface");
        assertThat(face.presence()).isGreaterThan(0.5f);
        assertThat(FaceAnalyzer.uprightTurn(face)).as("upright").isZero();
        float[] rightEye = face.landmark(159);
        float[] leftEye = face.landmark(386);
        float[] upperLip = face.landmark(13);
        float[] lowerLip = face.landmark(14);
        float[] mouthRight = face.landmark(61);
        float[] mouthLeft = face.landmark(291);
        float[] chin = face.landmark(152);
        assertThat(Math.abs(rightEye[1] - leftEye[1])).as("eyes level").isLessThan(face.height() * 0.1f);
        assertThat(upperLip[1])
                .as("lips below eyes")
                .isGreaterThan(Math.max(rightEye[1], leftEye[1]) + face.height() * 0.2f);
        assertThat(chin[1]).as("chin below lips").isGreaterThan(lowerLip[1]);
        assertThat(mouthRight[0]).isLessThan(upperLip[0]);
        assertThat(mouthLeft[0]).isGreaterThan(upperLip[0]);
        for (float[] p : List.of(rightEye, leftEye, upperLip, chin)) {
            assertThat(p[0]).isBetween(face.x() - 1, face.x() + face.width() + 1);
            assertThat(p[1]).isBetween(face.y() - 1, face.y() + face.height() + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"good/profile-cameraman.jpg"})
    void aTurnedFaceIsFound(String file) throws Exception {
        List<Face> faces = analyze(file);
        assertThat(faces).hasSize(1);
        Face face = faces.get(0);
        assertThat(face.landmark(13)[1]).as("lips below eyes").isGreaterThan(face.landmark(159)[1]);
        assertThat(face.landmark(152)[1]).as("chin below lips").isGreaterThan(face.landmark(14)[1]);
    }

    @Test
    void aSmallFaceInALargePhotoIsFoundInTiles() throws Exception {
        try (Mat portrait = TestMedia.decode("good/photo-grace-hopper.jpg");
                Mat small = new Mat();
                Mat large = new Mat(3000, 4000, portrait.type(), new Scalar(90, 110, 100, 0))) {
            Face original = analyzer.analyze(portrait).get(0);
            // Her face about 70 px wide, pasted into a 4000×3000 photo near its right edge.
            double scale = 70.0 / original.width();
            resize(portrait, small, new Size(), scale, scale, INTER_AREA);
            int x = 3300;
            int y = 500;
            small.copyTo(new Mat(large, new Rect(x, y, small.cols(), small.rows())));
            List<Face> faces = analyzer.analyze(large);
            assertThat(faces).hasSize(1);
            Face face = faces.get(0);
            assertThat(face.detector()).isEqualTo("blazeface-tiles");
            assertThat(face.width()).isBetween(50f, 100f);
            assertThat(face.x())
                    .isBetween(
                            (float) x + (float) (original.x() * scale) - 15,
                            (float) x + (float) (original.x() * scale) + 15);
            assertThat(face.y())
                    .isBetween(
                            (float) y + (float) (original.y() * scale) - 15,
                            (float) y + (float) (original.y() * scale) + 15);
        }
    }

    @Test
    void aTurnedPortraitSaysHowFarToTurnIt() throws Exception {
        try (Mat portrait = TestMedia.decode("good/photo-grace-hopper.jpg");
                Mat upsideDown = new Mat();
                Mat leftSide = new Mat();
                Mat rightSide = new Mat()) {
            assertThat(FaceAnalyzer.uprightTurn(analyzer.analyze(portrait).get(0)))
                    .isZero();
            rotate(portrait, upsideDown, ROTATE_180);
            rotate(portrait, leftSide, ROTATE_90_COUNTERCLOCKWISE);
            rotate(portrait, rightSide, ROTATE_90_CLOCKWISE);
            // Found as it is (the mesh crop turned with the face) or only once turned: either way, how far to turn it.
            assertThat(turnNeeded(upsideDown)).isEqualTo(180);
            assertThat(turnNeeded(leftSide)).isEqualTo(90);
            assertThat(turnNeeded(rightSide)).isEqualTo(270);
        }
        try (Mat astronaut = TestMedia.decode("good/photo-astronaut.jpg");
                Mat upsideDown = new Mat()) {
            rotate(astronaut, upsideDown, ROTATE_180);
            List<Face> found = analyzer.analyze(upsideDown);
            assertThat(found).hasSize(1);
            // The mesh fitted the right way round: her mouth is above her eyes in the turned image.
            assertThat(found.get(0).landmark(13)[1]).isLessThan(found.get(0).landmark(159)[1]);
            assertThat(FaceAnalyzer.uprightTurn(found.get(0))).isEqualTo(180);
        }
        try (Mat cat = TestMedia.decode("bad/animal-cat.jpg")) {
            assertThat(analyzer.turnedFace(cat)).isEmpty();
        }
    }

    private static int turnNeeded(Mat image) {
        List<Face> faces = analyzer.analyze(image);
        return faces.isEmpty() ? analyzer.turnedFace(image).orElse(0) : FaceAnalyzer.uprightTurn(faces.get(0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bad/animal-cat.jpg",
                "bad/landscape-rocket.jpg",
                "bad/still-life-coffee.jpg",
                "bad/scrambled-scan.jpg"
            })
    void nonFacesHaveNoFace(String file) throws Exception {
        assertThat(analyze(file)).as(file).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad/two-faces.jpg", "good/dominant-face.jpg"})
    void everyFaceOfAGroupIsReportedLargestFirst(String file) throws Exception {
        List<Face> faces = analyze(file);
        assertThat(faces).hasSize(2);
        assertThat(faces.get(0).area()).isGreaterThanOrEqualTo(faces.get(1).area());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad/transparent-only.png", "bad/flat-color.png"})
    void blankImagesAreRefusedBeforeDetection(String file) {
        Assertions.assertThatThrownBy(() -> analyze(file))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("no face to animate");
    }
}
