package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.errors.RequestRejectedException;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
