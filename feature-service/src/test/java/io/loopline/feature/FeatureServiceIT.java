package io.loopline.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.GenerationOptions;
import io.loopline.events.MediaValidated;
import io.loopline.events.ObjectRef;
import io.loopline.events.RenderTask;
import io.loopline.events.RequestFailed;
import io.loopline.events.SegmentMode;
import io.loopline.model.audio.TestSpeech;
import io.loopline.model.reference.Motion;
import io.loopline.model.reference.ReferencePack;
import io.loopline.model.reference.TestPacks;
import io.loopline.packstage.ModelOptions;
import io.loopline.packstage.SegmentPlan;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import io.loopline.tensor.Npy;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature service against the in-process broker and S3 server, with the real reference pack. */
class FeatureServiceIT {

    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    static Path dir;

    private static EmbeddedInfrastructure infra;
    private static FeatureConfig config;
    private static FeatureService service;
    private static ObjectStore store;
    private static ObjectRef audio;
    private static long audioMillis;

    @BeforeAll
    static void start() throws Exception {
        Path packs = TestPacks.installChainedReference(dir.resolve("packs"));

        infra = EmbeddedInfrastructure.start();
        config = new FeatureConfig(TestClusters.settings(
                infra,
                FeatureConfig.SERVICE,
                Map.of(
                        ModelOptions.PACK_CACHE_DIR, dir.resolve("cache").toString(),
                        ModelOptions.PACKS_DIR, packs.toString(),
                        ModelOptions.THREADS, "2")));
        service = new FeatureService(config);
        service.start();
        store = new ObjectStore(config.storageSettings());
        TestSpeech speech = TestSpeech.sentence();
        audioMillis = speech.millis();
        audio = store.put(store.workBucket(), "acme/speech/ingest/audio-16k.npy", speech.npy(), "application/x-npy");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
        infra.close();
    }

    private static MediaValidated media(String requestId, String pack) {
        return MediaValidated.newBuilder(SampleEvents.mediaValidated())
                .setRequestId(requestId)
                .setTenant("acme")
                .setOptions(GenerationOptions.newBuilder(SampleEvents.options())
                        .setModelPack(pack)
                        .setSeed(3)
                        .build())
                .setAudio(audio)
                .setAudioDurationMs(audioMillis)
                .build();
    }

    /** The request's tasks: waits for the first, and the reader's quiet period collects the rest published with it. */
    private static List<ConsumerRecord<byte[], byte[]>> tasksOf(String requestId) {
        int atLeast = 1;
        String topic = config.topicCatalog().name(Topics.RENDER_TASKS);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ConsumerRecord<byte[], byte[]>> found = List.of();
        while (found.size() < atLeast && System.nanoTime() < deadline) {
            found = TestClusters.read(config, topic, atLeast, Duration.ofSeconds(5)).stream()
                    .filter(r -> new String(r.key()).startsWith(requestId + "/"))
                    .toList();
        }
        return found;
    }

    @Test
    void independentModePublishesEveryTaskSpreadOverPartitionsAndStoresTheTensors() throws Exception {
        TestClusters.publish(config, Topics.MEDIA_VALIDATED, "ind-1", media("ind-1", null));
        Topic<RenderTask> topic = config.topicCatalog().topic(Topics.RENDER_TASKS);
        List<ConsumerRecord<byte[], byte[]>> records = tasksOf("ind-1");
        List<RenderTask> tasks = records.stream()
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .toList();
        int frames = (int) Math.ceil(audioMillis / 40.0); // 25 fps over the decoded samples
        assertThat(tasks)
                .hasSize(SegmentPlan.of(frames, ReferencePack.manifest().clip())
                        .segments()
                        .size());
        assertThat(tasks.get(0).getTotalFrames()).isBetween(frames - 1, frames + 1);
        assertThat(tasks).allSatisfy(t -> {
            assertThat(t.getSegmentMode()).isEqualTo(SegmentMode.INDEPENDENT);
            assertThat(t.getModelPack()).isEqualTo("reference");
            assertThat(t.getFrameCount())
                    .isEqualTo(ReferencePack.manifest().clip().frames());
            assertThat(t.getSegmentCount()).isEqualTo(tasks.size());
        });
        Set<Integer> partitions = new HashSet<>();
        records.forEach(r -> partitions.add(r.partition()));
        assertThat(partitions).as("tasks spread over partitions").hasSizeGreaterThan(1);

        RenderTask first = tasks.get(0);
        try (InputStream in = store.open(first.getFeatures())) {
            Object featureWidth = ReferencePack.manifest()
                    .models()
                    .get("audio_encoder")
                    .outputs()
                    .get(0)
                    .shape()
                    .get(1);
            assertThat(Npy.read(in).shape())
                    .containsExactly(first.getTotalFrames(), ((Number) featureWidth).intValue());
        }
        try (InputStream in = store.open(first.getMotion())) {
            assertThat(Npy.read(in).shape()).containsExactly(first.getTotalFrames(), Motion.COUNT);
        }
        assertThat(first.getMotion().getKey()).isEqualTo("acme/ind-1/feature/motion.npy");
    }

    @Test
    void chainedModePublishesOnlyTheFirstTask() {
        TestClusters.publish(config, Topics.MEDIA_VALIDATED, "chain-1", media("chain-1", TestPacks.CHAINED));
        Topic<RenderTask> topic = config.topicCatalog().topic(Topics.RENDER_TASKS);
        List<RenderTask> tasks = tasksOf("chain-1").stream()
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .toList();
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.getSegmentIndex()).isZero();
            assertThat(t.getSegmentMode()).isEqualTo(SegmentMode.CHAINED);
            assertThat(t.getSegmentCount()).isGreaterThan(1);
        });
    }

    @Test
    void anUnknownPackIsRefusedNamingTheInstalledOnes() {
        TestClusters.publish(config, Topics.MEDIA_VALIDATED, "nopack-1", media("nopack-1", "loopy-large"));
        Topic<RequestFailed> topic = config.topicCatalog().topic(Topics.REQUESTS_FAILED);
        RequestFailed failed = TestClusters.read(config, topic.name(), 1, WAIT).stream()
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .filter(f -> f.getRequestId().equals("nopack-1"))
                .findFirst()
                .orElseThrow();
        assertThat(failed.getErrorCode()).isEqualTo("MODEL_PACK_UNKNOWN");
        assertThat(failed.getMessage())
                .isEqualTo(
                        "The model pack \"loopy-large\" is not installed; available: reference, reference-chained, reference-history.");
    }
}
