package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.ingest.internals.MouthAnalyzer.Measurement;
import io.loopline.ingest.internals.MouthAnalyzer.MouthNotFound;
import io.loopline.ingest.internals.MouthAnalyzer.State;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mouth's rest state on real portraits: Grace Hopper's closed mouth, the astronaut's smile with
 * teeth, the same smile with its teeth painted over as a dark mouth interior (the mesh is the same,
 * only the pixels tell), and a photo cut off through the upper lip.
 */
class MouthRestOnPortraitsTest {

    private static FaceAnalyzer analyzer;

    @BeforeAll
    static void load() {
        analyzer = new FaceAnalyzer();
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    private static Face face(Mat image) {
        List<Face> faces = analyzer.analyze(image);
        assertThat(faces).isNotEmpty();
        return faces.get(0);
    }

    private static Measurement measure(Mat image, Face face) throws MouthNotFound {
        MouthAnalyzer.checkInside(face.landmarks(), image.cols(), image.rows(), "image");
        return MouthAnalyzer.measure(image, face.landmarks(), MouthAnalyzer.mouthPixels(face.landmarks()));
    }

    @Test
    void graceHoppersMouthIsClosed() throws Exception {
        try (Mat image = TestMedia.decode("good/photo-grace-hopper.jpg")) {
            Measurement m = measure(image, face(image));
            assertThat(m.state()).isEqualTo(State.CLOSED);
            assertThat(m.shape().lipGap()).isLessThan(0.03f);
            assertThat(m.shape().mouthWidth()).isBetween(0.7f, 0.95f);
            assertThat(m.shape().cornerLift()).as("no smile").isBetween(-0.03f, 0.05f);
            assertThat(m.opening().teethFraction()).isZero();
            assertThat(m.uncertainty()).isNull();
        }
    }

    @Test
    void theAstronautSmilesWithTeeth() throws Exception {
        try (Mat image = TestMedia.decode("good/photo-astronaut.jpg")) {
            Measurement m = measure(image, face(image));
            assertThat(m.state()).isEqualTo(State.TEETH);
            assertThat(m.shape().lipGap()).isBetween(0.12f, 0.25f);
            assertThat(m.shape().cornerLift()).as("a smile lifts the corners").isGreaterThan(0.08f);
            assertThat(m.shape().mouthWidth()).as("and widens the mouth").isGreaterThan(0.95f);
            assertThat(m.opening().teethFraction()).isGreaterThan(0.3f);
        }
    }

    @Test
    void theSameSmileWithADarkMouthInteriorIsParted() throws Exception {
        try (Mat image = TestMedia.decode("good/photo-astronaut.jpg")) {
            Face face = face(image);
            float[] inner =
                    MouthAnalyzerTest.polygon(face.landmarks(), MouthAnalyzer.INNER_UPPER, MouthAnalyzer.INNER_LOWER);
            try (UByteIndexer px = image.createIndexer()) {
                for (int y = 0; y < image.rows(); y++) {
                    for (int x = 0; x < image.cols(); x++) {
                        if (MouthAnalyzer.inside(inner, x + 0.5f, y + 0.5f)) {
                            px.put(y, x, 0, 30).put(y, x, 1, 25).put(y, x, 2, 70); // a dark red cavity, BGR
                        }
                    }
                }
            }
            Measurement m = measure(image, face);
            assertThat(m.state()).isEqualTo(State.PARTED);
            assertThat(m.opening().interiorBrightness()).isLessThan(0.6f);
        }
    }

    @Test
    void aPhotoCutOffThroughTheLipsHasNoMouth() throws Exception {
        try (Mat image = TestMedia.decode("bad/mouth-cut-off.jpg")) {
            Face face = face(image);
            assertThatThrownBy(() -> measure(image, face))
                    .isInstanceOf(MouthNotFound.class)
                    .hasMessage("The mouth is cut off by the image's edge; use a portrait that shows the whole mouth.");
        }
    }
}
