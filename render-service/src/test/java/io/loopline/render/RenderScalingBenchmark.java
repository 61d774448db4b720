package io.loopline.render;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.FaceGeometry;
import io.loopline.events.GenerationOptions;
import io.loopline.events.ObjectRef;
import io.loopline.events.RenderTask;
import io.loopline.events.SegmentMode;
import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.ModelKind;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.packstage.ModelOptions;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topics;
import io.loopline.tensor.BenchmarkMachine;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Npy;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Render throughput with 1, 2, 4 and 8 workers (threads of one render service) sharing
 * render.tasks, with accelerator latency emulated by {@link ModelPack#emulateLatency} — a fixed
 * delay per denoiser call — and tiny 64×64 frames so that the CPU is not what is measured; then one
 * worker batching 1, 2, 4 and 8 waiting segments per denoiser call, with the emulated latency and
 * without it (the CPU alone), and how far batched frames are from unbatched ones.
 *
 * <pre>tools/bench.sh render-scaling</pre>
 */
public final class RenderScalingBenchmark {

    private static final Duration DENOISER_LATENCY = Duration.ofMillis(150);
    private static final int SEGMENTS = 32;
    private static final int SIZE = 64;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("loopline-scaling");
        ModelPack.emulateLatency(ModelKind.DENOISER, DENOISER_LATENCY);
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
            double single = 0;
            System.out.printf(
                    Locale.ROOT,
                    "render scaling: %d segments of 16 frames at %dx%d, 2 steps, %d ms emulated per denoiser call, "
                            + "32 partitions%n",
                    SEGMENTS,
                    SIZE,
                    SIZE,
                    DENOISER_LATENCY.toMillis());
            System.out.println("  workers  segments/s  speed-up  efficiency");
            for (int workers : new int[] {1, 2, 4, 8}) {
                double throughput = run(infra, dir, workers, 1, "scale-" + workers);
                if (workers == 1) {
                    single = throughput;
                }
                System.out.printf(
                        Locale.ROOT,
                        "  %7d  %10.2f  %8.2f  %9.0f%%%n",
                        workers,
                        throughput,
                        throughput / single,
                        100 * throughput / (single * workers));
            }
            System.out.println("  one worker, batches (render.batch.max):");
            System.out.println("    batch  segments/s (emulated)  segments/s (CPU only)");
            double[] cpuOnly = new double[9];
            for (int batch : new int[] {1, 2, 4, 8}) {
                double emulated = run(infra, dir, 1, batch, "batch-" + batch);
                ModelPack.emulateLatency(ModelKind.DENOISER, null);
                cpuOnly[batch] = run(infra, dir, 1, batch, "cpu-batch-" + batch);
                ModelPack.emulateLatency(ModelKind.DENOISER, DENOISER_LATENCY);
                System.out.printf(Locale.ROOT, "    %5d  %21.2f  %21.2f%n", batch, emulated, cpuOnly[batch]);
            }
            ObjectStore store = new ObjectStore(
                    new RenderConfig(TestClusters.settings(infra, "render", Map.of())).storageSettings());
            long differing = 0;
            long total = 0;
            int worst = 0;
            for (String key : store.list(store.workBucket(), "bench/cpu-batch-1/render/")) {
                byte[] a = FrameCodec.decode(
                                store.openUnverified(store.workBucket(), key).readAllBytes())
                        .data();
                byte[] b = FrameCodec.decode(
                                store.openUnverified(store.workBucket(), key.replace("cpu-batch-1", "cpu-batch-4"))
                                        .readAllBytes())
                        .data();
                for (int i = 0; i < a.length; i++) {
                    int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
                    differing += d == 0 ? 0 : 1;
                    worst = Math.max(worst, d);
                }
                total += a.length;
            }
            System.out.printf(
                    Locale.ROOT,
                    "  batched (4) vs unbatched frames: %d of %d bytes differ (%.4f%%), by at most %d%n",
                    differing,
                    total,
                    100.0 * differing / total,
                    worst);
            System.out.println("  machine: " + BenchmarkMachine.describe());
        } finally {
            ModelPack.emulateLatency(ModelKind.DENOISER, null);
        }
    }

    private static double run(EmbeddedInfrastructure infra, Path dir, int workers, int batch, String request)
            throws Exception {
        Map<String, String> settings = new TreeMap<>(TestClusters.settings(
                infra,
                "render",
                Map.of(
                        LooplineConfig.TOPIC_RENDER_TASKS_PARTITIONS, "32",
                        ModelOptions.PACK_CACHE_DIR, dir.resolve("cache").toString(),
                        ModelOptions.THREADS, "1",
                        RenderConfig.WORKERS, Integer.toString(workers),
                        RenderConfig.BATCH_MAX, Integer.toString(batch))));
        RenderConfig config = new RenderConfig(settings);
        RenderService service = new RenderService(config);
        service.start();
        try {
            ObjectStore store = new ObjectStore(config.storageSettings());
            Inputs in = inputs(store, dir, request);
            long t0 = System.nanoTime();
            for (int k = 0; k < SEGMENTS; k++) {
                RenderTask task = RenderTask.newBuilder(SampleEvents.renderTask())
                        .setRequestId(request)
                        .setTenant("bench")
                        .setOptions(GenerationOptions.newBuilder(SampleEvents.options())
                                .setSamplingSteps(2)
                                .setAudioGuidance(null)
                                .setReferenceGuidance(null)
                                .setModelPack("reference")
                                .build())
                        .setModelPack("reference")
                        .setSegmentMode(SegmentMode.INDEPENDENT)
                        .setSegmentIndex(k)
                        .setSegmentCount(SEGMENTS)
                        .setFrameStart(k * 12)
                        .setFrameCount(16)
                        .setOverlapFrames(k == 0 ? 0 : 4)
                        .setTotalFrames(in.frames)
                        .setReference(in.image)
                        .setFace(FaceGeometry.newBuilder(SampleEvents.face())
                                .setLandmarks(in.landmarks)
                                .build())
                        .setFeatures(in.features)
                        .setMotion(in.motion)
                        .setMotionHistory(List.of())
                        .build();
                TestClusters.publish(config, Topics.RENDER_TASKS, Topics.renderTaskKey(request, k), task);
            }
            String topic = config.topicCatalog().name(Topics.SEGMENTS_RENDERED);
            Set<Integer> done = new HashSet<>();
            var serde = config.topicCatalog()
                    .topic(Topics.SEGMENTS_RENDERED)
                    .valueSerde()
                    .deserializer();
            while (done.size() < SEGMENTS) {
                TestClusters.read(config, topic, done.size() + 1, Duration.ofSeconds(2))
                        .forEach(r ->
                                done.add(serde.deserialize(topic, r.value()).getSegmentIndex()));
            }
            return SEGMENTS / ((System.nanoTime() - t0) / 1e9);
        } finally {
            service.stop();
        }
    }

    private record Inputs(ObjectRef image, ObjectRef landmarks, ObjectRef features, ObjectRef motion, int frames) {}

    /** A 64×64 reference, its landmarks, and the conditioning of 16 s of speech, stored for the tasks. */
    private static Inputs inputs(ObjectStore store, Path dir, String request) throws Exception {
        BufferedImage big = ImageIO.read(RenderScalingBenchmark.class.getResource("/portrait/reference-256.png"));
        BufferedImage small = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(big, 0, 0, SIZE, SIZE, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(small, "png", png);
        float[] lm;
        try (InputStream in = RenderScalingBenchmark.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            lm = Npy.read(in).data();
        }
        for (int i = 0; i < lm.length; i++) {
            lm[i] *= SIZE / 256f;
        }
        float[] sentence = WavFilesAccess.read("/audio/sentence.wav");
        float[] audio = new float[16 * 16_000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = sentence[i % sentence.length];
        }
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(1))) {
            PackRegistry packs = new PackRegistry(null, dir.resolve("cache"), sessions);
            PortraitGenerator.Conditioning c =
                    new PortraitGenerator(packs.require("reference"), sessions.environment()).condition(audio, 1);
            String prefix = "bench/" + request + "/feature/";
            return new Inputs(
                    store.put(store.workBucket(), prefix + "reference.png", png.toByteArray(), "image/png"),
                    store.put(
                            store.workBucket(),
                            prefix + "landmarks.npy",
                            Npy.toBytes(new Npy.FloatTensor(new int[] {468, 3}, lm)),
                            "application/x-npy"),
                    store.put(
                            store.workBucket(),
                            prefix + "features.npy",
                            Npy.toBytes(new Npy.FloatTensor(new int[] {c.frames(), c.featureDim()}, c.features())),
                            "application/x-npy"),
                    store.put(
                            store.workBucket(),
                            prefix + "motion.npy",
                            Npy.toBytes(new Npy.FloatTensor(new int[] {c.frames(), c.motionDim()}, c.motion())),
                            "application/x-npy"),
                    c.frames());
        }
    }
}
