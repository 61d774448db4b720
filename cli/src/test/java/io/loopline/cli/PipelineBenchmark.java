package io.loopline.cli;

import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.client.RequestEvents;
import io.loopline.client.Submission;
import io.loopline.core.metrics.StageMetrics;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.stream.HlsStreams;
import io.loopline.events.GenerationOptions;
import io.loopline.events.Stage;
import io.loopline.mux.MuxConfig;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.tensor.BenchmarkMachine;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * End-to-end figures of the embedded pipeline, as {@code loopline generate} runs it (reference pack,
 * 512×512, 25 fps): for 10 s and 60 s of speech, wall time over audio duration, where the time goes
 * by stage (from the status view's timeline) and each stage's compute (from the services' own
 * timers), and the pipeline's own overhead: wall time minus the compute on the critical path
 * (ingest + feature + render ÷ render workers + mux's wall time after the last segment — it encodes
 * the rest while rendering), and how soon the first segment of the HLS stream can be played.
 *
 * <pre>tools/bench.sh pipeline</pre>
 */
public final class PipelineBenchmark {

    private static final Stage[] STAGES = {Stage.INGEST, Stage.FEATURE, Stage.RENDER, Stage.MUX};

    public static void main(String[] args) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        Path work = Files.createTempDirectory("loopline-bench");
        // Run from the repository root (tools/bench.sh) or from cli/.
        Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
        Path image = examples.resolve("portrait.jpg");
        float[] speech = decode(examples.resolve("speech-30s.flac"));
        // Side by side: without the HLS stream (what `generate` runs by default) and with it (`--stream`, clusters).
        for (boolean stream : new boolean[] {false, true}) {
            long t0 = System.nanoTime();
            try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(
                    work.resolve("streams-" + stream), Map.of(MuxConfig.STREAM_ENABLED, Boolean.toString(stream)))) {
                double startup = (System.nanoTime() - t0) / 1e9;
                int workers = Runtime.getRuntime().availableProcessors();
                System.out.printf(
                        Locale.ROOT,
                        "%n== %s: embedded pipeline started in %.1f s (broker, S3 server, 5 services; %d render workers)%n",
                        stream ? "with the HLS stream" : "without a stream",
                        startup,
                        workers);
                for (int seconds : new int[] {10, 60}) {
                    Path audio = work.resolve("speech-" + seconds + "s.wav");
                    writeWav(speech, seconds, audio);
                    run(pipeline, registry, image, audio, seconds, workers);
                }
            }
        }
        System.out.println("machine: " + BenchmarkMachine.describe());
    }

    private static void run(
            EmbeddedPipeline pipeline, SimpleMeterRegistry registry, Path image, Path audio, int seconds, int workers)
            throws Exception {
        Map<Stage, Double> computeBefore = compute(registry);
        String id = Submission.newRequestId();
        long submitted = System.nanoTime();
        Submission.submit(
                pipeline.clientConfig(),
                "bench",
                id,
                image,
                audio,
                GenerationOptions.newBuilder().setSeed(1).build());
        Map<Stage, Long> firstSeen = new EnumMap<>(Stage.class);
        ObjectStore store = new ObjectStore(pipeline.clientConfig().storageSettings());
        long[] firstPlayable = {0};
        RequestEvents.Snapshot s;
        try (RequestEvents events = new RequestEvents(pipeline.clientConfig(), id)) {
            s = events.untilFinished(Duration.ofMillis(20), null, snapshot -> {
                pipeline.status().status(id).ifPresent(st -> firstSeen.putIfAbsent(st.getStage(), System.nanoTime()));
                if (firstPlayable[0] == 0 && streamPublished(store, id)) {
                    firstPlayable[0] = System.nanoTime();
                }
            });
        }
        long finished = System.nanoTime();
        if (s.failed().isPresent()) {
            throw new IllegalStateException(
                    "Benchmark request failed: " + s.failed().get());
        }
        double wall = (finished - submitted) / 1e9;
        Map<Stage, Double> computeAfter = compute(registry);
        System.out.printf(
                Locale.ROOT, "%n%d s of speech: wall %.1f s = %.2f × audio duration%n", seconds, wall, wall / seconds);
        System.out.printf(
                Locale.ROOT,
                "  first stream segment (1 s) playable %.1f s after submit%n",
                firstPlayable[0] == 0 ? Double.NaN : (firstPlayable[0] - submitted) / 1e9);
        printTimeline(pipeline, id, submitted, firstPlayable[0]);
        System.out.printf(Locale.ROOT, "  %-8s %10s %8s %14s%n", "stage", "wall (s)", "share", "compute (s)");
        double critical = 0;
        for (int i = 0; i < STAGES.length; i++) {
            Stage stage = STAGES[i];
            long from = i == 0 ? submitted : firstSeen.getOrDefault(stage, submitted);
            long to = i + 1 < STAGES.length ? firstSeen.getOrDefault(STAGES[i + 1], finished) : finished;
            double stageWall = Math.max(0, (to - from) / 1e9);
            double compute = computeAfter.getOrDefault(stage, 0.0) - computeBefore.getOrDefault(stage, 0.0);
            // Mux encodes while the segments render: only its wall time after the last segment is on the critical path.
            critical += stage == Stage.RENDER ? compute / workers : stage == Stage.MUX ? stageWall : compute;
            String note = stage == Stage.RENDER
                    ? String.format(Locale.ROOT, " (%d workers: %.1f s each)", workers, compute / workers)
                    : stage == Stage.MUX ? " (mostly while the segments render)" : "";
            System.out.printf(
                    Locale.ROOT,
                    "  %-8s %10.1f %7.0f%% %14.1f%s%n",
                    stage.name().toLowerCase(Locale.ROOT),
                    stageWall,
                    100 * stageWall / wall,
                    compute,
                    note);
        }
        System.out.printf(
                Locale.ROOT,
                "  pipeline overhead: %.1f s (%.0f%%) = wall − compute on the critical path (%.1f s)%n",
                wall - critical,
                100 * (wall - critical) / wall,
                critical);
    }

    /**
     * When each event of the request's start was produced, after submit: media validated, the first render tasks,
     * the first segments rendered, the first stream segment up (what decides how soon a viewer can start).
     */
    private static void printTimeline(EmbeddedPipeline pipeline, String id, long submittedNanos, long playableNanos) {
        long submittedMillis = System.currentTimeMillis() - (System.nanoTime() - submittedNanos) / 1_000_000;
        Map<String, Object> props = new HashMap<>(pipeline.clientConfig().kafkaClientConfigs());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicCatalog catalog = pipeline.clientConfig().topicCatalog();
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (TopicSpec<?> spec : List.of(Topics.MEDIA_VALIDATED, Topics.RENDER_TASKS, Topics.SEGMENTS_RENDERED)) {
                Topic<?> topic = catalog.topic(spec);
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                List<long[]> seen = new ArrayList<>(); // {index, millis after submit}
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        SpecificRecord value = (SpecificRecord)
                                topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        if (value == null
                                || !id.equals(value.get(value.getSchema()
                                                .getField("request_id")
                                                .pos())
                                        .toString())) {
                            continue;
                        }
                        Schema.Field index = value.getSchema().getField("segment_index");
                        seen.add(new long[] {
                            index == null ? -1 : ((Number) value.get(index.pos())).longValue(),
                            r.timestamp() - submittedMillis
                        });
                    }
                }
                seen.sort(Comparator.comparingLong(e -> e[1]));
                lines.add(String.format(
                        Locale.ROOT,
                        "%s %s",
                        topic.name(),
                        seen.stream()
                                .limit(4)
                                .map(e -> (e[0] < 0 ? "" : "#" + e[0] + " ")
                                        + String.format(Locale.ROOT, "%.2f", e[1] / 1e3))
                                .collect(Collectors.joining(", "))));
            }
        }
        lines.add(String.format(
                Locale.ROOT,
                "stream playlist up %.2f",
                playableNanos == 0 ? Double.NaN : (playableNanos - submittedNanos) / 1e9));
        System.out.println("  timeline (s after submit): " + String.join("; ", lines));
    }

    /** Whether the request's stream playlist is up: its first segment can be played. */
    private static boolean streamPublished(ObjectStore store, String id) {
        try (InputStream in =
                store.openUnverified(store.outputsBucket(), HlsStreams.key("bench", id, HlsStreams.PLAYLIST))) {
            return true;
        } catch (ObjectNotFoundException | IOException e) {
            return false;
        }
    }

    private static Map<Stage, Double> compute(SimpleMeterRegistry registry) {
        Map<Stage, Double> out = new EnumMap<>(Stage.class);
        for (Timer t : registry.find(StageMetrics.PROCESSING).timers()) {
            Stage stage = Stage.valueOf(t.getId().getTag("stage").toUpperCase(Locale.ROOT));
            out.merge(stage, t.totalTime(TimeUnit.NANOSECONDS) / 1e9, Double::sum);
        }
        return out;
    }

    public static float[] decode(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleRate(16_000);
            g.setAudioChannels(1);
            g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            g.start();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Frame f;
            while ((f = g.grabSamples()) != null) {
                FloatBuffer b = (FloatBuffer) f.samples[0];
                ByteBuffer bb = ByteBuffer.allocate(b.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(b);
                bytes.write(bb.array());
            }
            FloatBuffer all = ByteBuffer.wrap(bytes.toByteArray())
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] out = new float[all.remaining()];
            all.get(out);
            return out;
        }
    }

    /** {@code seconds} of audio, the speech repeated as needed, as 16-bit PCM WAV. */
    public static void writeWav(float[] speech, int seconds, Path target) throws Exception {
        int n = seconds * 16_000;
        byte[] pcm = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            int v = Math.round(Math.max(-1f, Math.min(1f, speech[i % speech.length])) * 32767);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat format = new AudioFormat(16_000, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, target.toFile());
        }
    }
}
