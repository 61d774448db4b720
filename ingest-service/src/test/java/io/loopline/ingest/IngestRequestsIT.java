package io.loopline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.BodyGeometry;
import io.loopline.events.FaceGeometry;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.HandGeometry;
import io.loopline.events.HandSide;
import io.loopline.events.MediaValidated;
import io.loopline.events.Mode;
import io.loopline.events.ObjectRef;
import io.loopline.events.RequestFailed;
import io.loopline.events.Warning;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import io.loopline.tensor.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request-level checks (references, options, limits) and idempotent reprocessing, end to end. */
class IngestRequestsIT {

    private static final Path MEDIA = Path.of("src/test/resources/media");
    private static final Duration WAIT = Duration.ofMinutes(3);

    private static EmbeddedInfrastructure infra;
    private static IngestConfig config;
    private static IngestService service;
    private static ObjectStore store;
    private static ObjectRef image;
    private static ObjectRef audio;

    @BeforeAll
    static void start() throws IOException {
        infra = EmbeddedInfrastructure.start();
        config = new IngestConfig(TestClusters.settings(
                infra,
                IngestConfig.SERVICE,
                Map.of(
                        IngestConfig.AUDIO_MAX_DURATION_MS, "10000",
                        IngestConfig.IMAGE_MAX_BYTES, "200000")));
        service = new IngestService(config);
        service.start();
        store = new ObjectStore(config.storageSettings());
        image = store.put(
                store.inputsBucket(), "acme/face.jpg", MEDIA.resolve("good/photo-grace-hopper.jpg"), "image/jpeg");
        audio = store.put(store.inputsBucket(), "acme/speech.m4a", MEDIA.resolve("good/speech.m4a"), "audio/mp4");
        store.put(store.inputsBucket(), "other/face.jpg", MEDIA.resolve("good/photo-grace-hopper.jpg"), "image/jpeg");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
        infra.close();
    }

    private static GenerationRequest request(String id, ObjectRef image, ObjectRef audio, GenerationOptions options) {
        return GenerationRequest.newBuilder()
                .setRequestId(id)
                .setTenant("acme")
                .setRequestedAt(SampleEvents.REQUESTED_AT)
                .setImage(image)
                .setAudio(audio)
                .setOptions(options)
                .build();
    }

    private static GenerationOptions.Builder options() {
        return GenerationOptions.newBuilder()
                .setMode(Mode.PORTRAIT)
                .setOutputSize(256)
                .setSeed(9);
    }

    private static void publish(GenerationRequest request) {
        TestClusters.publish(config, Topics.REQUESTS, request.getRequestId(), request);
    }

    private static RequestFailed failureOf(String requestId) {
        Topic<RequestFailed> topic = config.topicCatalog().topic(Topics.REQUESTS_FAILED);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : TestClusters.read(config, topic.name(), 1, Duration.ofSeconds(2))) {
                RequestFailed f = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
                if (f.getRequestId().equals(requestId)) {
                    return f;
                }
            }
        }
        throw new AssertionError("No failure event for " + requestId);
    }

    private static List<MediaValidated> validated(String requestId, int count) {
        Topic<MediaValidated> topic = config.topicCatalog().topic(Topics.MEDIA_VALIDATED);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<MediaValidated> found = List.of();
        while (System.nanoTime() < deadline && found.size() < count) {
            found = TestClusters.read(config, topic.name(), count, Duration.ofSeconds(3)).stream()
                    .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                    .filter(v -> v.getRequestId().equals(requestId))
                    .toList();
        }
        return found;
    }

    @Test
    void referencesOutsideTheTenantAreForbidden() {
        ObjectRef otherTenant =
                ObjectRef.newBuilder(image).setKey("other/face.jpg").build();
        publish(request("forbidden-1", otherTenant, audio, options().build()));
        ObjectRef traversal =
                ObjectRef.newBuilder(image).setKey("acme/../other/face.jpg").build();
        publish(request("forbidden-2", traversal, audio, options().build()));
        ObjectRef url = ObjectRef.newBuilder(audio)
                .setKey("http://169.254.169.254/latest/meta-data")
                .build();
        publish(request("forbidden-3", image, url, options().build()));

        assertThat(failureOf("forbidden-1")).satisfies(f -> {
            assertThat(f.getErrorCode()).isEqualTo("REF_FORBIDDEN");
            assertThat(f.getMessage()).contains("outside tenant \"acme\"");
        });
        assertThat(failureOf("forbidden-2").getErrorCode()).isEqualTo("REF_FORBIDDEN");
        assertThat(failureOf("forbidden-3").getMessage()).contains("audio").contains("URL");
    }

    @Test
    void missingAndChangedInputsAreNamed() {
        publish(request(
                "missing-1",
                ObjectRef.newBuilder(image).setKey("acme/nope.jpg").build(),
                audio,
                options().build()));
        publish(request(
                "changed-1",
                ObjectRef.newBuilder(image).setSha256("0".repeat(64)).build(),
                audio,
                options().build()));
        assertThat(failureOf("missing-1")).satisfies(f -> {
            assertThat(f.getErrorCode()).isEqualTo("INPUT_NOT_FOUND");
            assertThat(f.getMessage())
                    .isEqualTo("The image \"acme/nope.jpg\" does not exist in bucket \"loopline-inputs\".");
        });
        assertThat(failureOf("changed-1").getErrorCode()).isEqualTo("INPUT_CHANGED");
    }

    @Test
    void optionsOutOfRangeNameTheOptionAndItsRange() {
        publish(request("fps-1", image, audio, options().setFps(500).build()));
        publish(request("size-1", image, audio, options().setOutputSize(500).build()));
        publish(request(
                "guidance-1",
                image,
                audio,
                options().setAudioGuidance(Float.NaN).build()));
        assertThat(failureOf("fps-1").getMessage()).isEqualTo("Option fps must be from 10 to 60, not 500.");
        assertThat(failureOf("size-1").getMessage())
                .isEqualTo("Option output_size must be a multiple of 16 from 128 to 1024, not 500.");
        assertThat(failureOf("guidance-1")).satisfies(f -> {
            assertThat(f.getErrorCode()).isEqualTo("OPTION_INVALID");
            assertThat(f.getMessage()).startsWith("Option audio_guidance must be from 0 to 20");
        });
    }

    @Test
    void configuredLimitsApplyToMeasuredSizesAndDurations() throws IOException {
        ObjectRef big =
                store.put(store.inputsBucket(), "acme/big.png", MEDIA.resolve("good/sixteen-bit.png"), "image/png");
        ObjectRef long12s = store.put(
                store.inputsBucket(), "acme/long.opus", MEDIA.resolve("bad/twelve-seconds.opus"), "audio/ogg");
        publish(request("big-1", big, audio, options().build()));
        publish(request("long-1", image, long12s, options().build()));
        assertThat(failureOf("big-1")).satisfies(f -> {
            assertThat(f.getErrorCode()).isEqualTo("IMAGE_TOO_LARGE");
            assertThat(f.getMessage()).contains("0.2 MB");
        });
        assertThat(failureOf("long-1")).satisfies(f -> {
            assertThat(f.getErrorCode()).isEqualTo("AUDIO_TOO_LONG");
            assertThat(f.getMessage()).contains("10.0 s");
        });
    }

    @Test
    void reprocessingARequestWritesTheSameObjectsAndAnEqualEvent() throws Exception {
        GenerationRequest request = request(
                "replay-1", image, audio, options().setMode(Mode.HALF_BODY).build());
        publish(request);
        MediaValidated first = validated("replay-1", 1).get(0);
        var firstImage = store.stat(
                        first.getImage().getBucket(), first.getImage().getKey())
                .orElseThrow();
        publish(request); // a replay or a redelivery
        List<MediaValidated> both = validated("replay-1", 2);
        assertThat(both).hasSize(2);
        assertThat(both.get(1)).isEqualTo(both.get(0));
        // Half body asked for a portrait with no hand in view: the body is still found and stored.
        assertThat(first.getWarnings()).extracting(Warning::getCode).contains("HANDS_NOT_VISIBLE");
        assertThat(store.list(store.workBucket(), "acme/replay-1/"))
                .containsExactly(
                        "acme/replay-1/ingest/audio-16k.npy",
                        "acme/replay-1/ingest/landmarks.npy",
                        "acme/replay-1/ingest/original-audio",
                        "acme/replay-1/ingest/person-mask.png",
                        "acme/replay-1/ingest/pose-landmarks.npy",
                        "acme/replay-1/ingest/reference.png");
        assertThat(store.stat(first.getImage().getBucket(), first.getImage().getKey())
                        .orElseThrow()
                        .sha256())
                .isEqualTo(firstImage.sha256());
        assertThat(store.readAllBytes(first.getImage()))
                .isEqualTo(store.readAllBytes(both.get(1).getImage()));
    }

    @Test
    void autoModeAnimatesTheHalfBodyOfAnImageWithAHandInView() throws Exception {
        ObjectRef halfBody = store.put(
                store.inputsBucket(),
                "acme/half-body.jpg",
                MEDIA.resolve("good/half-body-photo-hands-clasped.jpg"),
                "image/jpeg");
        publish(request(
                "auto-half-1", halfBody, audio, options().setMode(Mode.AUTO).build()));
        MediaValidated v = validated("auto-half-1", 1).get(0);
        assertThat(v.getOptions().getMode()).isEqualTo(Mode.HALF_BODY);
        assertThat(v.getWarnings()).isEmpty();
        BodyGeometry body = v.getBody();
        assertThat(body).isNotNull();
        assertThat(body.getPoseLandmarkCount()).isEqualTo(33);
        Npy.FloatTensor pose = Npy.read(store.open(body.getPoseLandmarks()));
        assertThat(pose.shape()).containsExactly(33, 4);
        float faceBottom = v.getFace().getBoxY() + v.getFace().getBoxHeight();
        // Shoulders (11, 12) inside the frame, below the face; the subject's left one on the image's right.
        for (int shoulder : new int[] {11, 12}) {
            assertThat(pose.data()[4 * shoulder]).isBetween(0f, 256f);
            assertThat(pose.data()[4 * shoulder + 1])
                    .isBetween(faceBottom - 0.3f * v.getFace().getBoxHeight(), 256f);
        }
        assertThat(pose.data()[4 * 11]).isGreaterThan(pose.data()[4 * 12]);
        assertThat(body.getHands()).extracting(HandGeometry::getSide).contains(HandSide.RIGHT);
        for (HandGeometry hand : body.getHands()) {
            assertThat(hand.getBoxX()).isGreaterThanOrEqualTo(0);
            assertThat(hand.getBoxY()).isGreaterThanOrEqualTo(0);
            assertThat(hand.getBoxX() + hand.getBoxWidth()).isLessThan(256);
            assertThat(hand.getBoxY() + hand.getBoxHeight()).isLessThan(256);
            assertThat(Npy.read(store.open(hand.getLandmarks())).shape()).containsExactly(21, 3);
        }
        try (Mat mask = imdecode(new Mat(store.readAllBytes(body.getPersonMask())), IMREAD_UNCHANGED)) {
            assertThat(mask.cols()).isEqualTo(256);
            assertThat(mask.rows()).isEqualTo(256);
            assertThat(mask.channels()).isEqualTo(1);
        }
    }

    @Test
    void autoModeLeavesAPortraitExactlyAsPortraitModeMakesIt() throws Exception {
        publish(request(
                "auto-portrait-1", image, audio, options().setMode(Mode.AUTO).build()));
        publish(request("portrait-1", image, audio, options().build()));
        MediaValidated auto = validated("auto-portrait-1", 1).get(0);
        MediaValidated portrait = validated("portrait-1", 1).get(0);
        assertThat(auto.getOptions().getMode()).isEqualTo(Mode.PORTRAIT);
        assertThat(auto.getBody()).isNull();
        assertThat(auto.getWarnings()).isEqualTo(portrait.getWarnings());
        // The same face, mouth and framing; only the landmark file's key names its own request.
        assertThat(FaceGeometry.newBuilder(auto.getFace())
                        .setLandmarks(portrait.getFace().getLandmarks())
                        .build())
                .isEqualTo(portrait.getFace());
        assertThat(auto.getImage().getSha256()).isEqualTo(portrait.getImage().getSha256());
        assertThat(auto.getFace().getLandmarks().getSha256())
                .isEqualTo(portrait.getFace().getLandmarks().getSha256());
    }

    @Test
    void halfBodyRequestsSayWhatTheImageLacks() throws Exception {
        ObjectRef noHands = store.put(
                store.inputsBucket(),
                "acme/no-hands.jpg",
                MEDIA.resolve("good/chest-up-painted-no-hands.jpg"),
                "image/jpeg");
        ObjectRef closeUp = store.put(
                store.inputsBucket(), "acme/close-up.jpg", MEDIA.resolve("good/close-up-face.jpg"), "image/jpeg");
        publish(request(
                "half-no-hands-1",
                noHands,
                audio,
                options().setMode(Mode.HALF_BODY).build()));
        publish(request(
                "half-no-body-1",
                closeUp,
                audio,
                options().setMode(Mode.HALF_BODY).build()));

        MediaValidated withoutHands = validated("half-no-hands-1", 1).get(0);
        assertThat(withoutHands.getOptions().getMode()).isEqualTo(Mode.HALF_BODY);
        assertThat(withoutHands.getWarnings()).extracting(Warning::getCode).containsExactly("HANDS_NOT_VISIBLE");
        assertThat(withoutHands.getBody().getHands()).isEmpty();

        MediaValidated withoutBody = validated("half-no-body-1", 1).get(0);
        assertThat(withoutBody.getOptions().getMode()).isEqualTo(Mode.PORTRAIT);
        assertThat(withoutBody.getBody()).isNull();
        assertThat(withoutBody.getWarnings()).extracting(Warning::getCode).containsExactly("BODY_NOT_VISIBLE");
        assertThat(withoutBody.getWarnings().get(0).getMessage()).contains("no shoulders are visible");
    }
}
