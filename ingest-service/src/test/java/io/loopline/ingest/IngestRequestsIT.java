package io.loopline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.Mode;
import io.loopline.events.ObjectRef;
import io.loopline.events.RequestFailed;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        assertThat(store.list(store.workBucket(), "acme/replay-1/"))
                .containsExactly(
                        "acme/replay-1/ingest/audio-16k.npy", "acme/replay-1/ingest/landmarks.npy",
                        "acme/replay-1/ingest/original-audio", "acme/replay-1/ingest/reference.png");
        assertThat(store.stat(first.getImage().getBucket(), first.getImage().getKey())
                        .orElseThrow()
                        .sha256())
                .isEqualTo(firstImage.sha256());
        assertThat(store.readAllBytes(first.getImage()))
                .isEqualTo(store.readAllBytes(both.get(1).getImage()));
    }
}
