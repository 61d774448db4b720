package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.mean;

import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The body analyzer on half-body photos, paintings and drawings with a hand in view, and on portraits without one:
 * the skeleton must be a plausible upright body under the face, the hands found must be the person's and lie where
 * the wrists are, and a close-up must not get a body from shoulders drawn on its cheeks.
 */
class BodyAnalyzerTest {

    private static FaceAnalyzer faces;
    private static BodyAnalyzer bodies;

    @BeforeAll
    static void load() {
        faces = new FaceAnalyzer();
        bodies = new BodyAnalyzer();
    }

    @AfterAll
    static void close() {
        faces.close();
        bodies.close();
    }

    private record Found(Face face, Optional<Body> body, int width, int height) {}

    private static Found analyze(String file) throws Exception {
        try (Mat image = TestMedia.decode(file)) {
            List<Face> found = faces.analyze(image);
            assertThat(found).as(file).isNotEmpty();
            return new Found(found.get(0), bodies.analyze(image, found.get(0)), image.cols(), image.rows());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "good/half-body-photo-hands-clasped.jpg, RIGHT",
        "good/half-body-painted-hand-on-chin.jpg, RIGHT",
        "good/half-body-drawn-raised-hand.png, LEFT"
    })
    void halfBodiesGetAnUprightSkeletonAndTheHandInView(String file, Body.Side side) throws Exception {
        Found found = analyze(file);
        assertThat(found.body()).as(file).isPresent();
        Body body = found.body().get();
        Face face = found.face();
        assertThat(body.torsoVisible(found.width(), found.height())).as("torso").isTrue();
        // The subject's left shoulder is on the image's right; both below the eyes, a shoulder line wider than the
        // face.
        assertThat(body.x(Body.LEFT_SHOULDER)).isGreaterThan(body.x(Body.RIGHT_SHOULDER));
        assertThat(Math.min(body.y(Body.LEFT_SHOULDER), body.y(Body.RIGHT_SHOULDER)))
                .isGreaterThan(face.centerY());
        assertThat(body.shoulderWidth()).isGreaterThan(face.width());

        assertThat(body.wholeHands()).as("whole hands").isNotEmpty();
        Body.Hand hand = body.hand(side).orElseThrow(() -> new AssertionError("no " + side + " hand in " + file));
        assertThat(hand.presence()).isGreaterThan(0.9f);
        float[] box = hand.box();
        assertThat(box[0]).isGreaterThanOrEqualTo(0);
        assertThat(box[1]).isGreaterThanOrEqualTo(0);
        assertThat(box[2]).isLessThan(found.width());
        assertThat(box[3]).isLessThan(found.height());
        // A hand is about a face high: much smaller means a fit to a fragment, much larger a fit to an arm or a torso.
        double handSize = Math.max(box[2] - box[0], box[3] - box[1]);
        assertThat(handSize).isBetween(0.4 * face.height(), 2.0 * face.height());
        // Its wrist is the pose's wrist on that side (within half a shoulder width).
        int wrist = side == Body.Side.LEFT ? Body.LEFT_WRIST : Body.RIGHT_WRIST;
        double reach = Math.hypot(hand.landmarks()[0] - body.x(wrist), hand.landmarks()[1] - body.y(wrist));
        assertThat(reach).isLessThan(0.5 * body.shoulderWidth());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "good/photo-grace-hopper.jpg",
                "good/photo-astronaut.jpg",
                "good/chest-up-painted-no-hands.jpg",
                "good/painted-grace-hopper.jpg"
            })
    void portraitsWithoutHandsGetShouldersButNoHand(String file) throws Exception {
        Found found = analyze(file);
        assertThat(found.body()).as(file).isPresent();
        assertThat(found.body().get().torsoVisible(found.width(), found.height()))
                .as("torso")
                .isTrue();
        assertThat(found.body().get().hands()).as(file).isEmpty();
    }

    @Test
    void aCloseUpOfAFaceHasNoBody() throws Exception {
        // The top of the Grace Hopper photo down to her chin: the pose model places "shoulders" on her cheeks.
        try (Mat photo = TestMedia.decode("good/photo-grace-hopper.jpg");
                Mat closeUp = new Mat(photo, new Rect(110, 40, 300, 330))) {
            List<Face> found = faces.analyze(closeUp);
            assertThat(found).isNotEmpty();
            assertThat(bodies.analyze(closeUp, found.get(0))).isEmpty();
        }
    }

    @Test
    void thePersonMaskCoversThePersonAndNotTheBackground() throws Exception {
        try (Mat image = TestMedia.decode("good/half-body-photo-hands-clasped.jpg");
                Mat mask = bodies.personMask(image)) {
            assertThat(mask.cols()).isEqualTo(image.cols());
            assertThat(mask.rows()).isEqualTo(image.rows());
            Face face = faces.analyze(image).get(0);
            int side = (int) (face.width() / 2);
            try (Mat onFace = new Mat(
                            mask,
                            new Rect((int) face.centerX() - side / 2, (int) face.centerY() - side / 2, side, side));
                    Mat topLeftCorner = new Mat(mask, new Rect(0, 0, 40, 40));
                    Mat topRightCorner = new Mat(mask, new Rect(image.cols() - 40, 0, 40, 40))) {
                assertThat(mean(onFace).get(0)).as("person").isGreaterThan(200);
                assertThat(mean(topLeftCorner).get(0)).as("sky, top left").isLessThan(40);
                assertThat(mean(topRightCorner).get(0)).as("sky, top right").isLessThan(40);
            }
        }
    }
}
