package io.loopline.cli;

import io.loopline.cli.chaos.GroupAssignments;
import io.loopline.cli.chaos.JavaProcess;
import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.client.RequestEvents;
import io.loopline.client.Submission;
import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.events.GenerationOptions;
import io.loopline.events.SegmentRendered;
import io.loopline.render.RenderConfig;
import io.loopline.render.RenderMain;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import io.loopline.tensor.BenchmarkMachine;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long a render worker killed with SIGKILL holds its request up: the embedded pipeline runs ingest, feature,
 * mux and the status view in this JVM, and two render workers as processes of their own (one worker each,
 * {@code render.tasks} with two partitions). While a long request renders, worker A is killed 5 times; each time
 * the benchmark measures the time from the kill to the next segment rendered from A's partition, with A
 * restarted at once under the same instance id (a container restarted in its pod) and with A gone (its partition
 * must move to B), for today's settings (session timeout 10 s, cooperative rebalancing, static membership, small
 * fetches) and for the settings before (Kafka's defaults: session 45 s, dynamic membership, eager assignor, 1 MiB
 * fetches; 3 kills, each costs a minute), side by side. The request must complete each time.
 *
 * <pre>tools/bench.sh recovery</pre>
 *
 * Needs the CLI's runtime class path in {@code cli/target/classpath.txt} (written by the build) to start the
 * render processes.
 */
public final class RecoveryBenchmark {

    private static final int KILLS = 5;

    private record Setting(String name, int kills, Map<String, String> overrides) {}

    public static void main(String[] args) throws Exception {
        Path cli = Files.isDirectory(Path.of("cli", "target")) ? Path.of("cli") : Path.of(".");
        String classPath = cli.resolve("target")
                        .toFile()
                        .listFiles((d, n) -> n.matches("loopline-cli-.*\\.jar") && !n.contains("tests"))[0]
                        .getAbsolutePath()
                + File.pathSeparator
                + Files.readString(cli.resolve("target/classpath.txt")).trim();
        Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
        List<Setting> settings = List.of(
                new Setting("today (session 10 s, cooperative, static membership, 16 KiB fetches)", KILLS, Map.of()),
                new Setting(
                        "before (Kafka's defaults: session 45 s, eager, dynamic, 1 MiB fetches)",
                        3,
                        Map.of(
                                LooplineConfig.WORKER_SESSION_TIMEOUT_MS,
                                "45000",
                                LooplineConfig.KAFKA_CLIENT_PREFIX + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                                "3000",
                                LooplineConfig.KAFKA_CLIENT_PREFIX
                                        + ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                "org.apache.kafka.clients.consumer.RangeAssignor",
                                "static",
                                "false")));
        for (Setting setting : settings) {
            for (boolean restarted : new boolean[] {true, false}) {
                List<Double> recoveries = run(setting, restarted, classPath, examples);
                List<Double> sorted = recoveries.stream().sorted().toList();
                System.out.printf(
                        Locale.ROOT,
                        "%s, killed worker %s: kill → next segment of its partition %s s, median %.1f s%n",
                        setting.name(),
                        restarted ? "restarted at once" : "gone",
                        recoveries.stream()
                                .map(r -> String.format(Locale.ROOT, "%.1f", r))
                                .collect(Collectors.joining(" ")),
                        sorted.get(sorted.size() / 2));
            }
        }
        System.out.println("machine: " + BenchmarkMachine.describe());
    }

    private static List<Double> run(Setting setting, boolean restarted, String classPath, Path examples)
            throws Exception {
        Map<String, String> overrides = new HashMap<>(setting.overrides());
        boolean isStatic = !"false".equals(overrides.remove("static"));
        overrides.put(RenderConfig.WORKERS, "1");
        overrides.put(LooplineConfig.TOPIC_RENDER_TASKS_PARTITIONS, "2");
        Path work = Files.createTempDirectory("loopline-recovery");
        List<Double> recoveries = new ArrayList<>();
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(work, overrides)) {
            pipeline.service("render").stop();
            LooplineConfig client = pipeline.clientConfig();
            Map<String, String> env = new HashMap<>();
            client.originalsStrings().forEach((k, v) -> env.put(ConfigSources.envName(k), v));
            JavaProcess a = renderProcess("render-a", isStatic, env, classPath, work);
            JavaProcess b = renderProcess("render-b", isStatic, env, classPath, work);
            a.start();
            b.start();
            Path audio = work.resolve("speech-150s.wav");
            PipelineBenchmark.writeWav(PipelineBenchmark.decode(examples.resolve("speech-30s.flac")), 150, audio);
            String id = Submission.newRequestId();
            Submission.submit(
                    client,
                    "bench",
                    id,
                    examples.resolve("portrait.jpg"),
                    audio,
                    GenerationOptions.newBuilder().setSeed(1).build());
            try (SegmentWatch watch = new SegmentWatch(client, id)) {
                watch.awaitCount(4, Duration.ofMinutes(3));
                for (int kill = 0; kill < setting.kills() && !watch.done(); kill++) {
                    int partition = partitionOf(client, a.name());
                    long killedAt = System.nanoTime();
                    a.kill();
                    if (restarted) {
                        a.start();
                    }
                    Double recovery = watch.nextOn(partition, killedAt, Duration.ofMinutes(2));
                    if (recovery == null) {
                        break; // the request ended (its partition had nothing left)
                    }
                    recoveries.add(recovery);
                    if (!restarted) {
                        a.start();
                    }
                    // Settle before the next kill: A back in the group and rendering its own partition again.
                    Thread.sleep(2_000);
                    int settled = partitionOf(client, a.name());
                    if (watch.nextOn(settled, System.nanoTime(), Duration.ofMinutes(2)) == null
                            || watch.nextOn(settled, System.nanoTime(), Duration.ofMinutes(2)) == null) {
                        break;
                    }
                }
            }
            try (RequestEvents events = new RequestEvents(client, id)) {
                RequestEvents.Snapshot s = events.untilFinished(Duration.ofMillis(200), Duration.ofMinutes(5), x -> {});
                if (s.completed().isEmpty()) {
                    throw new IllegalStateException("The request did not complete: " + s.failed());
                }
            }
            a.kill();
            b.kill();
        }
        return recoveries;
    }

    /** The render.tasks partition the worker with this instance id owns now (it has one of two). */
    private static int partitionOf(LooplineConfig client, String instancePrefix) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            Set<Integer> owned = GroupAssignments.partitionsOf(client, "loopline-render", instancePrefix);
            if (owned.size() == 1) {
                return owned.iterator().next();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Render worker " + instancePrefix + " owns no single partition");
    }

    /** One render worker as a process of its own, its instance id (static membership) or client id its name. */
    private static JavaProcess renderProcess(
            String name, boolean isStatic, Map<String, String> env, String classPath, Path work) {
        Map<String, String> own = new HashMap<>(env);
        own.put(ConfigSources.envName(LooplineConfig.MANAGEMENT_PORT), "0");
        // Without static membership the client id tells the workers apart in the group's description.
        own.put(ConfigSources.envName(LooplineConfig.KAFKA_CLIENT_PREFIX + "client.id"), name);
        if (isStatic) {
            own.put(ConfigSources.envName(LooplineConfig.WORKER_INSTANCE_ID), name);
        }
        return JavaProcess.of(name, RenderMain.class, classPath, List.of(), own, () -> true, work);
    }

    /** The request's segments.rendered, as they arrive, with the render.tasks partition each came from. */
    private static final class SegmentWatch implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Topic<SegmentRendered> topic;
        private final String id;
        private final int taskPartitions;
        private final Map<Integer, Long> arrived = new TreeMap<>();
        private final Map<Integer, Integer> partitionOfSegment = new ConcurrentHashMap<>();
        private int total = -1;

        SegmentWatch(LooplineConfig client, String id) {
            Map<String, Object> props = new HashMap<>(client.kafkaClientConfigs());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topic = client.topicCatalog().topic(Topics.SEGMENTS_RENDERED);
            this.id = id;
            this.taskPartitions = client.topicCatalog().partitions(Topics.RENDER_TASKS);
            List<TopicPartition> all = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
        }

        private void poll(Duration wait) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
                if (!id.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                    continue;
                }
                SegmentRendered s = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                total = s.getSegmentCount();
                if (arrived.putIfAbsent(s.getSegmentIndex(), System.nanoTime()) == null) {
                    // The task's partition as the producer chose it: its spread, modulo the partition count.
                    partitionOfSegment.put(
                            s.getSegmentIndex(),
                            Math.floorMod(Topics.renderTaskSpread(id, s.getSegmentIndex()), taskPartitions));
                }
            }
        }

        int count() {
            return arrived.size();
        }

        boolean done() {
            return total > 0 && arrived.size() >= total;
        }

        void awaitCount(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count() < n && !done() && System.nanoTime() < deadline) {
                poll(Duration.ofMillis(50));
            }
        }

        /** Seconds from {@code since} to the next segment of {@code partition} rendered after it; null when none is left. */
        Double nextOn(int partition, long since, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done()) {
                poll(Duration.ofMillis(20));
                for (Map.Entry<Integer, Long> e : arrived.entrySet()) {
                    if (e.getValue() > since && partitionOfSegment.get(e.getKey()) == partition) {
                        return (e.getValue() - since) / 1e9;
                    }
                }
            }
            return null;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
