package io.loopline.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.FaceGeometry;
import io.loopline.events.GenerationOptions;
import io.loopline.events.MediaValidated;
import io.loopline.events.ObjectRef;
import io.loopline.events.SegmentRendered;
import io.loopline.feature.FeatureConfig;
import io.loopline.feature.FeatureService;
import io.loopline.model.audio.TestSpeech;
import io.loopline.model.reference.ReferencePack;
import io.loopline.model.reference.TestPacks;
import io.loopline.packstage.ModelOptions;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature and render services together against the in-process broker and S3 server, with the real
 * reference pack: a validated request becomes all its rendered segments, in independent and in
 * chained mode, and a render worker stopped mid-segment loses nothing and changes no byte. With a pack
 * that conditions on motion history, each segment is made of the frames stored before it, and a chain
 * interrupted mid-way ends with the same bytes as one that was not.
 */
class RenderServiceIT {

    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;

    private static EmbeddedInfrastructure infra;
    private static Map<String, String> settings;
    private static FeatureService feature;
    private static ObjectStore store;
    private static LooplineConfig config;
    private static ObjectRef image;
    private static ObjectRef landmarks;
    private static ObjectRef audio;
    private static long audioMillis;

    @BeforeAll
    static void start() throws Exception {
        Path packs = TestPacks.installChainedReference(dir.resolve("packs"));
        TestPacks.installHistoryProbe(packs);
        infra = EmbeddedInfrastructure.start();
        settings = TestClusters.settings(
                infra,
                "render",
                Map.of(
                        ModelOptions.PACK_CACHE_DIR, dir.resolve("cache").toString(),
                        ModelOptions.PACKS_DIR, packs.toString(),
                        ModelOptions.THREADS, "1"));
        config = new LooplineConfig("render", settings);
        Map<String, String> featureSettings = new TreeMap<>(settings);
        featureSettings.put(LooplineConfig.WORKER_GROUP_ID, settings.get(LooplineConfig.WORKER_GROUP_ID) + "-feature");
        feature = new FeatureService(new FeatureConfig(featureSettings));
        feature.start();
        store = new ObjectStore(config.storageSettings());
        image = store.put(
                store.workBucket(),
                "acme/fixture/ingest/reference.png",
                RenderServiceIT.class
                        .getResourceAsStream("/portrait/reference-256.png")
                        .readAllBytes(),
                "image/png");
        landmarks = store.put(
                store.workBucket(),
                "acme/fixture/ingest/landmarks.npy",
                RenderServiceIT.class
                        .getResourceAsStream("/portrait/landmarks-256.npy")
                        .readAllBytes(),
                "application/x-npy");
        TestSpeech speech = TestSpeech.sentence();
        audioMillis = speech.millis();
        audio = store.put(store.workBucket(), "acme/fixture/ingest/audio-16k.npy", speech.npy(), "application/x-npy");
    }

    @AfterAll
    static void stop() {
        if (feature != null) {
            feature.stop();
        }
        infra.close();
    }

    private static RenderService render(String groupSuffix, Map<String, String> extra) {
        Map<String, String> s = new TreeMap<>(settings);
        s.put(LooplineConfig.WORKER_GROUP_ID, settings.get(LooplineConfig.WORKER_GROUP_ID) + groupSuffix);
        s.putAll(extra);
        RenderService service = new RenderService(new RenderConfig(s));
        service.start();
        return service;
    }

    private static MediaValidated media(String requestId, String pack) {
        FaceGeometry face = FaceGeometry.newBuilder(SampleEvents.face())
                .setLandmarks(landmarks)
                .build();
        return MediaValidated.newBuilder(SampleEvents.mediaValidated())
                .setRequestId(requestId)
                .setTenant("acme")
                .setOptions(GenerationOptions.newBuilder(SampleEvents.options())
                        .setModelPack(pack)
                        .setSeed(11)
                        .setSamplingSteps(2)
                        .setAudioGuidance(null)
                        .setReferenceGuidance(null)
                        .setOutputSize(256)
                        .build())
                .setImage(image)
                .setImageWidth(256)
                .setImageHeight(256)
                .setFace(face)
                .setAudio(audio)
                .setAudioDurationMs(audioMillis)
                .build();
    }

    /** Distinct rendered segments of a request, by index, once all {@code expected} are there. */
    private static Map<Integer, SegmentRendered> rendered(String requestId, int expected) {
        Topic<SegmentRendered> topic = config.topicCatalog().topic(Topics.SEGMENTS_RENDERED);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<Integer, SegmentRendered> byIndex = new TreeMap<>();
        while (byIndex.size() < expected && System.nanoTime() < deadline) {
            TestClusters.read(config, topic.name(), 1, Duration.ofSeconds(3)).stream()
                    .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                    .filter(s -> s.getRequestId().equals(requestId))
                    .forEach(s -> byIndex.put(s.getSegmentIndex(), s));
        }
        return byIndex;
    }

    /** The reference pack's clip: frames per segment, and the overlap of each segment with the one before. */
    private static final int CLIP = ReferencePack.manifest().clip().frames();

    private static final int OVERLAP = ReferencePack.manifest().clip().overlap();

    private static int expectedSegments() {
        return expectedSegments(CLIP, OVERLAP);
    }

    private static int expectedSegments(int clip, int overlap) {
        int frames = (int) Math.ceil(audioMillis / 40.0);
        return frames <= clip ? 1 : 1 + (int) Math.ceil((frames - clip) / (double) (clip - overlap));
    }

    private static int probeSegments() {
        return expectedSegments(TestPacks.PROBE_CLIP.frames(), TestPacks.PROBE_CLIP.overlap());
    }

    @Test
    void independentAndChainedRequestsBecomeAllTheirSegments() throws Exception {
        RenderService render = render("-a", Map.of(RenderConfig.WORKERS, "2"));
        try {
            TestClusters.publish(config, Topics.MEDIA_VALIDATED, "ind-1", media("ind-1", null));
            TestClusters.publish(config, Topics.MEDIA_VALIDATED, "chain-1", media("chain-1", TestPacks.CHAINED));
            int n = expectedSegments();
            Map<Integer, SegmentRendered> independent = rendered("ind-1", n);
            Map<Integer, SegmentRendered> chained = rendered("chain-1", n);
            assertThat(independent.keySet()).hasSize(n);
            assertThat(chained.keySet()).hasSize(n);
            for (SegmentRendered s : independent.values()) {
                assertThat(s.getFrameStart()).isEqualTo(s.getSegmentIndex() * (CLIP - OVERLAP));
                assertThat(s.getOverlapFrames()).isEqualTo(s.getSegmentIndex() == 0 ? 0 : OVERLAP);
                // Where the next segment begins, so mux can encode this one's frames before it: none after the last.
                assertThat(s.getNextFrameStart())
                        .isEqualTo(s.getSegmentIndex() + 1 < n ? (s.getSegmentIndex() + 1) * (CLIP - OVERLAP) : null);
                Npy.ByteTensor frames = FrameCodec.decode(store.readAllBytes(s.getFrames()));
                assertThat(frames.shape()).containsExactly(CLIP, 256 * 3 / 2, 256);
            }
            assertThat(store.list(store.workBucket(), "acme/ind-1/render/")).hasSize(n);
            // Same media and seed: chained segments are the same pictures as the independent ones.
            for (int k = 0; k < n; k++) {
                assertThat(store.readAllBytes(chained.get(k).getFrames()))
                        .isEqualTo(store.readAllBytes(independent.get(k).getFrames()));
            }
        } finally {
            render.stop();
        }
    }

    @Test
    void aRenderWorkerStoppedMidSegmentLosesNothingAndChangesNoByte() throws Exception {
        RenderService first = render("-kill", Map.of(LooplineConfig.WORKER_SHUTDOWN_TIMEOUT_MS, "0"));
        TestClusters.publish(config, Topics.MEDIA_VALIDATED, "kill-1", media("kill-1", null));
        // Let it finish at least one segment, then stop it in the middle of the next.
        Map<Integer, SegmentRendered> before = rendered("kill-1", 1);
        first.stop();
        RenderService second = render("-kill", Map.of());
        try {
            int n = expectedSegments();
            Map<Integer, SegmentRendered> all = rendered("kill-1", n);
            assertThat(all.keySet()).hasSize(n);
            assertThat(before).isNotEmpty();
            assertThat(store.list(store.workBucket(), "acme/kill-1/render/")).hasSize(n);
            RenderService reference = render("-again", Map.of());
            try {
                TestClusters.publish(config, Topics.MEDIA_VALIDATED, "again-1", media("again-1", null));
                Map<Integer, SegmentRendered> again = rendered("again-1", n);
                for (int k = 0; k < n; k++) {
                    try (InputStream a = store.open(all.get(k).getFrames());
                            InputStream b = store.open(again.get(k).getFrames())) {
                        assertThat(a.readAllBytes()).as("segment %d", k).isEqualTo(b.readAllBytes());
                    }
                }
            } finally {
                reference.stop();
            }
        } finally {
            second.stop();
        }
    }

    /** BT.601 limited-range luma of an RGB pixel in [-1, 1], in 8-bit levels (what the I420 frames store). */
    private static float luma(float r, float g, float b) {
        return 16f + (65.481f * (r + 1f) + 128.553f * (g + 1f) + 24.966f * (b + 1f)) / 2f;
    }

    /** Frame {@code offset} of a stored segment as RGB [3, 256, 256] in [-1, 1]. */
    private static float[] rgb(Npy.ByteTensor frames, int offset) {
        float[] out = new float[3 * 256 * 256];
        FrameCodec.cropToRgb(frames.data(), offset * FrameCodec.frameBytes(256, 256), 256, 256, 0, 0, 256, 256, out);
        return out;
    }

    @Test
    void aHistoryPackRendersEachSegmentFromTheFramesStoredBeforeIt() throws Exception {
        RenderService render = render("-history", Map.of());
        try {
            TestClusters.publish(config, Topics.MEDIA_VALIDATED, "hist-1", media("hist-1", TestPacks.HISTORY_PROBE));
            int n = probeSegments();
            Map<Integer, SegmentRendered> segments = rendered("hist-1", n);
            assertThat(segments.keySet()).hasSize(n);
            assertThat(n).as("segments enough for a stride two segments back").isGreaterThanOrEqualTo(3);
            float[] reference = Images.toRgbMinusOneToOne(
                    ImageIO.read(RenderServiceIT.class.getResourceAsStream("/portrait/reference-256.png")));
            Map<Integer, Npy.ByteTensor> stored = new TreeMap<>();
            for (var e : segments.entrySet()) {
                stored.put(
                        e.getKey(),
                        FrameCodec.decode(store.readAllBytes(e.getValue().getFrames())));
            }
            int plane = 256 * 256;
            for (int k = 0; k < n; k++) {
                int start = segments.get(k).getFrameStart();
                float[][] past = new float[TestPacks.PROBE_STRIDES.size()][];
                for (int j = 0; j < past.length; j++) {
                    int frame = start - TestPacks.PROBE_STRIDES.get(j);
                    int clip = TestPacks.PROBE_CLIP.frames();
                    past[j] = frame < 0 ? new float[3 * plane] : rgb(stored.get(frame / clip), frame % clip);
                }
                byte[] y = stored.get(k).data(); // frame 0's Y plane comes first
                int close = 0;
                for (int i = 0; i < plane; i++) {
                    float[] expected = new float[3];
                    for (int c = 0; c < 3; c++) {
                        expected[c] = TestPacks.probeFrame(
                                past[0][c * plane + i], past[1][c * plane + i], reference[c * plane + i]);
                    }
                    if (Math.abs((y[i] & 0xFF) - luma(expected[0], expected[1], expected[2])) <= 2f) {
                        close++;
                    }
                }
                assertThat(close)
                        .as("segment %d: pixels within 2 levels of its history's mix", k)
                        .isGreaterThan(plane * 99 / 100);
            }
        } finally {
            render.stop();
        }
    }

    @Test
    void aChainStoppedMidWayEndsWithTheBytesOfAnUndisturbedOne() throws Exception {
        int n = probeSegments();
        RenderService first = render("-chain-kill", Map.of(LooplineConfig.WORKER_SHUTDOWN_TIMEOUT_MS, "0"));
        TestClusters.publish(config, Topics.MEDIA_VALIDATED, "hkill-1", media("hkill-1", TestPacks.HISTORY_PROBE));
        rendered("hkill-1", 1);
        first.stop();
        RenderService second = render("-chain-kill", Map.of());
        try {
            Map<Integer, SegmentRendered> resumed = rendered("hkill-1", n);
            TestClusters.publish(
                    config, Topics.MEDIA_VALIDATED, "hquiet-1", media("hquiet-1", TestPacks.HISTORY_PROBE));
            Map<Integer, SegmentRendered> undisturbed = rendered("hquiet-1", n);
            assertThat(resumed.keySet()).hasSize(n);
            for (int k = 0; k < n; k++) {
                assertThat(store.readAllBytes(resumed.get(k).getFrames()))
                        .as("segment %d", k)
                        .isEqualTo(store.readAllBytes(undisturbed.get(k).getFrames()));
            }
        } finally {
            second.stop();
        }
    }
}
