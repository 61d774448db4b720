package io.loopline.cli.chaos;

import io.loopline.cli.PipelineBenchmark;
import io.loopline.client.Submission;
import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.storage.ObjectStore;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.embedded.FreePorts;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.feature.FeatureConfig;
import io.loopline.feature.FeatureMain;
import io.loopline.ingest.IngestConfig;
import io.loopline.ingest.IngestMain;
import io.loopline.mux.MuxConfig;
import io.loopline.mux.MuxMain;
import io.loopline.packstage.ModelOptions;
import io.loopline.render.RenderConfig;
import io.loopline.render.RenderMain;
import io.loopline.schemas.Topics;
import io.loopline.status.StatusConfig;
import io.loopline.status.StatusMain;
import io.loopline.tensor.BenchmarkMachine;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * The fault-injection suite: the four stages and the status view as processes of their own (render as several),
 * against a broker and S3 server in one more process that keeps its ports and data across restarts. First one request
 * of each input variant runs undisturbed (the reference videos); then waves of concurrent requests run while the
 * suite kills service processes with SIGKILL (each restarted at once, as a pod's container is), kills and restarts the
 * broker and storage once, freezes them once, and sends undecodable records and forbidden requests. It reports what
 * it did and what it measured; {@link Result} holds what {@code ChaosIT} asserts: every request completed exactly
 * once with the reference's frames, every poison record dead-lettered, every attack refused.
 */
final class ChaosRun {

    static final String TENANT = "chaos";
    static final String OTHER_TENANT = "other";
    private static final int VARIANTS = 2;

    /** One SIGKILL: of whom, when, how long until the process was ready again, and the render partitions it held. */
    record Kill(String victim, long atNanos, double readySeconds, Set<Integer> taskPartitions) {}

    /** The broker and storage out of service from {@code atNanos} until {@code backNanos}. */
    record Outage(String what, long atNanos, long backNanos) {}

    /** A request of the run: its id, input variant and when it was submitted. */
    record Submitted(String requestId, int variant, long atNanos) {}

    /** What the run found, for the assertions. */
    record Result(
            List<Submitted> requests,
            Map<String, Integer> completions,
            Map<String, List<String>> failures,
            Map<String, Boolean> framesAsReference,
            List<Poison.Sent> poison,
            List<Poison.Sent> poisonNotDeadLettered,
            int duplicateDeadLetters,
            List<Poison.Attack> attacks,
            List<Poison.Attack> attacksNotRefused,
            List<Kill> kills,
            int brokerRestarts,
            int freezes,
            long outOfMemoryErrors,
            Path workDir) {}

    private final ChaosPlan plan;
    private final Path work;
    private final List<String> report = new ArrayList<>();
    private final Random random;
    private final byte[] tenantKey = randomKey();
    private final byte[] otherKey = randomKey();
    private final Map<String, JavaProcess> services = new LinkedHashMap<>();
    private JavaProcess infrastructure;
    private LooplineConfig client;

    ChaosRun(ChaosPlan plan, Path work) {
        this.plan = plan;
        this.work = work;
        this.random = new Random(plan.seed());
    }

    Result run() throws Exception {
        FileUtils.deleteQuietly(work.toFile());
        Files.createDirectories(work.resolve("logs"));
        print("plan: %s", plan);
        try {
            return runStarted();
        } finally {
            for (JavaProcess p : services.values()) {
                p.stop(Duration.ofSeconds(20));
            }
            if (infrastructure != null) {
                infrastructure.stop(Duration.ofSeconds(30));
            }
            FileUtils.deleteQuietly(work.resolve("data").toFile());
            FileUtils.deleteQuietly(work.resolve("state").toFile());
            Files.write(work.resolve("report.txt"), report, StandardCharsets.UTF_8);
        }
    }

    private Result runStarted() throws Exception {
        long t0 = System.nanoTime();
        startInfrastructure();
        TopicAdmin.ensureTopics(client);
        startServices();
        print("started the broker and storage and %d service processes in %.1f s", services.size(), since(t0));

        Path inputs = Files.createDirectories(work.resolve("inputs"));
        Path image = examples().resolve("portrait.jpg");
        List<Path> audios = new ArrayList<>();
        for (int v = 0; v < VARIANTS; v++) {
            Path audio = inputs.resolve("speech-" + v + ".wav");
            PipelineBenchmark.writeWav(
                    PipelineBenchmark.decode(examples().resolve(v == 0 ? "speech-20s.flac" : "speech-30s.flac")),
                    plan.audioSeconds(),
                    audio);
            audios.add(audio);
        }

        try (EventLog events = new EventLog(client);
                Poison poison = new Poison(client, plan.seed())) {
            // The reference videos: one request of each variant, nothing disturbed.
            List<Submitted> references = new ArrayList<>();
            GenerationRequest accepted = null;
            for (int v = 0; v < VARIANTS; v++) {
                String id = "reference-" + v + "-" + Submission.newRequestId();
                GenerationRequest r =
                        Submission.submit(client, TENANT, id, image, audios.get(v), options(v), tenantKey);
                accepted = accepted == null ? r : accepted;
                references.add(new Submitted(id, v, System.nanoTime()));
            }
            awaitFinished(events, references, Duration.ofMinutes(5));
            Map<Integer, List<String>> referenceFrames = new HashMap<>();
            for (Submitted s : references) {
                if (events.completionsOf(s.requestId()).isEmpty()) {
                    throw new IllegalStateException("The undisturbed reference request " + s.requestId()
                            + " did not complete: " + events.failuresOf(s.requestId()));
                }
                referenceFrames.put(s.variant(), frameDigests(events, s.requestId()));
            }
            print(
                    "reference videos: %s frames, undisturbed latency %s s",
                    referenceFrames.values().stream()
                            .map(l -> Integer.toString(l.size()))
                            .toList(),
                    references.stream()
                            .map(s -> format(seconds(
                                    events.completionsOf(s.requestId()).get(0).arrivedNanos() - s.atNanos())))
                            .toList());

            // The faults, while waves of requests run.
            List<Submitted> requests = new ArrayList<>();
            List<Poison.Sent> poisonSent = new ArrayList<>();
            List<Poison.Attack> attacks = new ArrayList<>();
            List<Kill> kills = new ArrayList<>();
            List<Outage> outages = new ArrayList<>();
            int steps = plan.kills() + 2;
            int poisonPerStep = (plan.poisonRecords() + steps - 1) / steps;
            long chaosStart = System.nanoTime();
            int waves = 0;
            for (int step = 0; step < steps; step++) {
                if (requests.stream().allMatch(s -> finished(events, s.requestId()))) {
                    waves++;
                    submitWave(requests, image, audios);
                    if (waves == 1) {
                        for (int round = 0; round < plan.attackRounds(); round++) {
                            attacks.addAll(poison.sendAttacks(accepted, TENANT, tenantKey, OTHER_TENANT, otherKey));
                        }
                    }
                }
                poisonSent.addAll(
                        poison.sendUndecodable(Math.min(poisonPerStep, plan.poisonRecords() - poisonSent.size())));
                Thread.sleep(2_000 + random.nextInt(3_000));
                boolean outage = step == steps / 3 || step == 2 * steps / 3 && plan.freezeSeconds() > 0;
                if (outage && requests.stream().allMatch(s -> finished(events, s.requestId()))) {
                    waves++; // an outage is only worth causing while requests are in flight
                    submitWave(requests, image, audios);
                }
                if (step == steps / 3) {
                    outages.add(restartInfrastructure());
                } else if (outage) {
                    outages.add(freezeInfrastructure());
                } else {
                    kills.add(killOne());
                }
            }
            print(
                    "faults injected in %.0f s over %d wave(s) of %d requests",
                    since(chaosStart), waves, plan.requests());
            awaitFinished(events, requests, Duration.ofMinutes(5 + plan.requests()));
            print("all %d requests finished %.0f s after the first was submitted", requests.size(), since(chaosStart));

            return judge(events, referenceFrames, requests, poisonSent, attacks, kills, outages);
        }
    }

    private Result judge(
            EventLog events,
            Map<Integer, List<String>> referenceFrames,
            List<Submitted> requests,
            List<Poison.Sent> poisonSent,
            List<Poison.Attack> attacks,
            List<Kill> kills,
            List<Outage> outages)
            throws Exception {
        Map<String, Integer> completions = new TreeMap<>();
        Map<String, List<String>> failures = new TreeMap<>();
        Map<String, Boolean> identical = new TreeMap<>();
        List<Double> latencies = new ArrayList<>();
        for (Submitted s : requests) {
            List<EventLog.Completion> done = events.completionsOf(s.requestId());
            completions.put(s.requestId(), done.size());
            failures.put(
                    s.requestId(),
                    events.failuresOf(s.requestId()).stream()
                            .map(f ->
                                    f.event().getErrorCode() + ": " + f.event().getMessage())
                            .toList());
            if (!done.isEmpty()) {
                latencies.add(seconds(done.get(0).arrivedNanos() - s.atNanos()));
                identical.put(
                        s.requestId(), frameDigests(events, s.requestId()).equals(referenceFrames.get(s.variant())));
            }
        }
        print(
                "requests: %d submitted, %d completed once, %d completed more than once, %d failed, %d frame-identical to"
                        + " their reference",
                requests.size(),
                completions.values().stream().filter(n -> n == 1).count(),
                completions.values().stream().filter(n -> n > 1).count(),
                failures.values().stream().filter(f -> !f.isEmpty()).count(),
                identical.values().stream().filter(b -> b).count());
        print(
                "latency, submit → completed: p50 %s s, p95 %s s, max %s s",
                format(percentile(latencies, 50)),
                format(percentile(latencies, 95)),
                format(percentile(latencies, 100)));

        for (Outage o : outages) {
            print(
                    "%s: back after %.1f s, next segment or video %s s after that",
                    o.what(), seconds(o.backNanos() - o.atNanos()), format(nextProgressAfter(events, o.backNanos())));
        }

        // Kills and what they cost.
        Map<String, Long> killsByVictim = kills.stream()
                .collect(Collectors.groupingBy(
                        k -> k.victim().replaceAll("-\\d+$", ""), TreeMap::new, Collectors.counting()));
        print("kills: %d (%s)", kills.size(), killsByVictim);
        print(
                "kill → restarted process ready: median %s s, max %s s",
                format(percentile(kills.stream().map(Kill::readySeconds).toList(), 50)),
                format(percentile(kills.stream().map(Kill::readySeconds).toList(), 100)));
        int taskPartitions = client.topicCatalog().partitions(Topics.RENDER_TASKS);
        List<Double> renderRecoveries = new ArrayList<>();
        for (Kill k : kills) {
            if (k.taskPartitions().isEmpty()) {
                continue;
            }
            events.segments.stream()
                    .filter(s -> s.arrivedNanos() > k.atNanos()
                            && k.taskPartitions()
                                    .contains(Math.floorMod(
                                            Topics.renderTaskSpread(s.requestId(), s.index()), taskPartitions)))
                    .mapToLong(EventLog.Segment::arrivedNanos)
                    .min()
                    .ifPresent(t -> renderRecoveries.add(seconds(t - k.atNanos())));
        }
        print(
                "render worker killed → next segment of its partitions: %s s, median %s s",
                renderRecoveries.stream().map(ChaosRun::format).collect(Collectors.joining(" ")),
                format(percentile(renderRecoveries, 50)));

        // Poison: every group that reads a topic must dead-letter each undecodable record of it.
        Map<String, Set<String>> readers = readersByTopic();
        // The last records sent may still be on their way to the dead-letter topics.
        long lettersDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<Poison.Sent> missing = new ArrayList<>();
        Map<String, List<Double>> delays = new TreeMap<>();
        int duplicates = 0;
        do {
            Thread.sleep(missing.isEmpty() ? 0 : 500);
            missing.clear();
            delays.clear();
            duplicates = 0;
            Map<String, List<EventLog.DeadLetter>> lettersOf = events.deadLetters.stream()
                    .collect(Collectors.groupingBy(d -> d.topic() + "-" + d.partition() + "@" + d.offset()));
            for (Poison.Sent p : poisonSent) {
                List<EventLog.DeadLetter> letters =
                        lettersOf.getOrDefault(p.topic() + "-" + p.partition() + "@" + p.offset(), List.of());
                Map<String, Long> byGroup = letters.stream()
                        .collect(Collectors.groupingBy(EventLog.DeadLetter::group, Collectors.counting()));
                if (!byGroup.keySet().containsAll(readers.getOrDefault(p.topic(), Set.of()))) {
                    missing.add(p);
                }
                duplicates +=
                        (int) byGroup.values().stream().mapToLong(n -> n - 1).sum();
                letters.forEach(d -> delays.computeIfAbsent(d.group() + " on " + p.topic(), x -> new ArrayList<>())
                        .add((d.timestamp() - p.timestamp()) / 1000.0));
            }
        } while (!missing.isEmpty() && System.nanoTime() < lettersDeadline);
        print(
                "poison: %d undecodable records on %s, read by %s; %d dead letters, %d duplicated, %d missing",
                poisonSent.size(),
                poisonSent.stream().map(Poison.Sent::topic).collect(Collectors.toCollection(TreeSet::new)),
                readers,
                events.deadLetters.size(),
                duplicates,
                missing.size());
        // A poison record waits behind the records queued before it in its partition (a render task takes seconds).
        delays.forEach((reader, d) -> print(
                "  %s: sent → dead-lettered p50 %s s, p95 %s s, max %s s",
                reader, format(percentile(d, 50)), format(percentile(d, 95)), format(percentile(d, 100))));

        List<Poison.Attack> notRefused = new ArrayList<>();
        Map<String, Long> refusalCodes = new TreeMap<>();
        for (Poison.Attack a : attacks) {
            List<EventLog.Failure> refused = events.failuresOf(a.requestId());
            if (refused.isEmpty() || !events.completionsOf(a.requestId()).isEmpty()) {
                notRefused.add(a);
            }
            refused.stream()
                    .findFirst()
                    .ifPresent(
                            f -> refusalCodes.merge(a.what() + " → " + f.event().getErrorCode(), 1L, Long::sum));
        }
        print("attacks: %d sent, %d refused", attacks.size(), attacks.size() - notRefused.size());
        refusalCodes.forEach((what, n) -> print("  %s (%d)", what, n));

        long ooms = 0;
        for (JavaProcess p : services.values()) {
            ooms += p.logLinesContaining("OutOfMemoryError");
        }
        ooms += infrastructure.logLinesContaining("OutOfMemoryError");
        print("OutOfMemoryError in the processes' logs: %d", ooms);
        print("machine: %s", BenchmarkMachine.describe());
        return new Result(
                requests,
                completions,
                failures,
                identical,
                poisonSent,
                missing,
                duplicates,
                attacks,
                notRefused,
                kills,
                (int) outages.stream()
                        .filter(o -> o.what().contains("restarted"))
                        .count(),
                (int) outages.stream().filter(o -> o.what().contains("frozen")).count(),
                ooms,
                work);
    }

    // ---- the processes ----

    private void startInfrastructure() throws Exception {
        Path settings = work.resolve("cluster.properties");
        infrastructure = JavaProcess.of(
                "infrastructure",
                EmbeddedInfrastructure.class,
                List.of(settings.toString(), work.resolve("data").toString()),
                Map.of(),
                null,
                () -> Files.exists(settings),
                work.resolve("logs"));
        infrastructure.start();
        if (!infrastructure.awaitReady(Duration.ofMinutes(2))) {
            throw new IllegalStateException("The broker and storage did not start; see " + infrastructure.log());
        }
        Properties cluster = new Properties();
        try (InputStream in = Files.newInputStream(settings)) {
            cluster.load(in);
        }
        Map<String, String> settingsMap = new HashMap<>();
        cluster.forEach((k, v) -> settingsMap.put(k.toString(), v.toString()));
        settingsMap.put(LooplineConfig.TOPIC_RENDER_TASKS_PARTITIONS, Integer.toString(2 * plan.renderProcesses()));
        client = new LooplineConfig("chaos", settingsMap);
    }

    private void startServices() throws Exception {
        Path keys = work.resolve("tenant-keys.properties");
        Files.writeString(
                keys,
                TENANT + "=" + Base64.getEncoder().encodeToString(tenantKey) + "\n" + OTHER_TENANT + "="
                        + Base64.getEncoder().encodeToString(otherKey) + "\n");
        Map<String, String> common = new HashMap<>();
        client.originalsStrings().forEach(common::put);
        common.put(LooplineConfig.TOPICS_CREATE, "false");
        Path state = work.resolve("state");
        List<JavaProcess> all = new ArrayList<>();
        all.add(service(
                IngestConfig.SERVICE,
                IngestMain.class,
                common,
                Map.of(IngestConfig.TENANT_KEYS_FILE, keys.toString())));
        all.add(service(FeatureConfig.SERVICE, FeatureMain.class, common, Map.of(ModelOptions.THREADS, "1")));
        for (int i = 1; i <= plan.renderProcesses(); i++) {
            all.add(service(
                    RenderConfig.SERVICE + "-" + i,
                    RenderMain.class,
                    common,
                    Map.of(ModelOptions.THREADS, "1", RenderConfig.WORKERS, "1")));
        }
        all.add(service(
                MuxConfig.SERVICE,
                MuxMain.class,
                common,
                Map.of(
                        MuxConfig.VIDEO_THREADS,
                        "1",
                        MuxConfig.STATE_DIR,
                        state.resolve("mux").toString(),
                        MuxConfig.WORK_DIR,
                        state.resolve("mux-work").toString())));
        all.add(service(
                StatusConfig.SERVICE,
                StatusMain.class,
                common,
                Map.of(StatusConfig.STATE_DIR, state.resolve("status").toString())));
        for (JavaProcess p : all) {
            p.start();
            services.put(p.name(), p);
        }
        for (JavaProcess p : all) {
            if (!p.awaitReady(Duration.ofMinutes(3))) {
                throw new IllegalStateException(p.name() + " did not become ready; see " + p.log());
            }
        }
    }

    /** A service process with the cluster's settings, its own ({@code options}) and the pod's name and port. */
    private JavaProcess service(String name, Class<?> main, Map<String, String> common, Map<String, String> options) {
        int port = FreePorts.pick();
        Map<String, String> settings = new HashMap<>(common);
        settings.putAll(options);
        settings.put(LooplineConfig.MANAGEMENT_PORT, Integer.toString(port));
        // The pod's name, as the deployment gives it: static group membership, and the group's description shows it.
        settings.put(LooplineConfig.WORKER_INSTANCE_ID, name);
        settings.put(LooplineConfig.KAFKA_CLIENT_PREFIX + "client.id", name);
        Map<String, String> env = new HashMap<>();
        settings.forEach((k, v) -> env.put(ConfigSources.envName(k), v));
        return JavaProcess.of(name, main, List.of(), env, port, null, work.resolve("logs"));
    }

    /** SIGKILLs a service process (render half the time), restarts it at once and waits until it is ready again. */
    private Kill killOne() throws Exception {
        List<String> renders = services.keySet().stream()
                .filter(n -> n.startsWith(RenderConfig.SERVICE))
                .toList();
        List<String> others = services.keySet().stream()
                .filter(n -> !n.startsWith(RenderConfig.SERVICE))
                .toList();
        String victim = random.nextBoolean()
                ? renders.get(random.nextInt(renders.size()))
                : others.get(random.nextInt(others.size()));
        JavaProcess p = services.get(victim);
        Set<Integer> partitions = victim.startsWith(RenderConfig.SERVICE) ? renderPartitionsOf(victim) : Set.of();
        long at = System.nanoTime();
        p.kill();
        p.start();
        boolean ready = p.awaitReady(Duration.ofMinutes(3));
        double readySeconds = since(at);
        if (!ready) {
            throw new IllegalStateException(victim + " did not come back after a kill; see " + p.log());
        }
        return new Kill(victim, at, readySeconds, partitions);
    }

    /** The render.tasks partitions the render process holds now (empty when the group cannot say). */
    private Set<Integer> renderPartitionsOf(String name) {
        try {
            return GroupAssignments.partitionsOf(client, "loopline-" + RenderConfig.SERVICE, name + "-");
        } catch (Exception e) {
            return Set.of();
        }
    }

    /** SIGKILL of the broker and storage, started again at once on their data; returns when they are back. */
    private Outage restartInfrastructure() throws Exception {
        long at = System.nanoTime();
        infrastructure.kill();
        Files.deleteIfExists(work.resolve("cluster.properties"));
        infrastructure.start();
        if (!infrastructure.awaitReady(Duration.ofMinutes(3))) {
            throw new IllegalStateException("The broker and storage did not come back; see " + infrastructure.log());
        }
        return new Outage("broker and storage killed and restarted on their data", at, System.nanoTime());
    }

    /** SIGSTOP of the broker and storage for the plan's freeze, then SIGCONT. */
    private Outage freezeInfrastructure() throws Exception {
        long at = System.nanoTime();
        infrastructure.freeze();
        Thread.sleep(plan.freezeSeconds() * 1000L);
        infrastructure.thaw();
        long thawed = System.nanoTime();
        if (!services.values().stream().allMatch(JavaProcess::alive)) {
            throw new IllegalStateException("A service process ended while the broker and storage were frozen");
        }
        return new Outage("broker and storage frozen for " + plan.freezeSeconds() + " s", at, thawed);
    }

    /** Seconds from {@code since} to the next segment rendered or video completed; null when none came after it. */
    private static Double nextProgressAfter(EventLog events, long since) {
        return LongStream.concat(
                        events.segments.stream().mapToLong(EventLog.Segment::arrivedNanos),
                        events.completions.stream().mapToLong(EventLog.Completion::arrivedNanos))
                .filter(t -> t > since)
                .min()
                .stream()
                .mapToObj(t -> seconds(t - since))
                .findFirst()
                .orElse(null);
    }

    // ---- requests and videos ----

    private void submitWave(List<Submitted> requests, Path image, List<Path> audios) throws Exception {
        for (int i = 0; i < plan.requests(); i++) {
            int variant = (requests.size() + i) % VARIANTS;
            String id = "chaos-" + (requests.size() + i) + "-" + Submission.newRequestId();
            Submission.submit(client, TENANT, id, image, audios.get(variant), options(variant), tenantKey);
            requests.add(new Submitted(id, variant, System.nanoTime()));
        }
    }

    private GenerationOptions options(int variant) {
        return GenerationOptions.newBuilder()
                .setSeed(100 + variant)
                .setOutputSize(plan.outputSize())
                .setFps(25)
                .build();
    }

    private static boolean finished(EventLog events, String requestId) {
        return !events.completionsOf(requestId).isEmpty()
                || !events.failuresOf(requestId).isEmpty();
    }

    private static void awaitFinished(EventLog events, Collection<Submitted> requests, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Predicate<Submitted> open = s -> !finished(events, s.requestId());
        while (requests.stream().anyMatch(open) && System.nanoTime() < deadline) {
            events.requireReading();
            Thread.sleep(200);
        }
    }

    /** A digest of each decoded frame of the request's video. */
    private List<String> frameDigests(EventLog events, String requestId) throws Exception {
        Path mp4 = work.resolve("videos").resolve(requestId + ".mp4");
        Files.createDirectories(mp4.getParent());
        new ObjectStore(client.storageSettings())
                .download(events.completionsOf(requestId).get(0).event().getVideo(), mp4);
        List<String> digests = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(((ByteBuffer) frame.image[0]).duplicate());
                digests.add(HexFormat.of().formatHex(sha.digest()));
            }
        }
        Files.delete(mp4);
        return digests;
    }

    /** For each topic, the consumer groups that have committed offsets on it. */
    private Map<String, Set<String>> readersByTopic() throws Exception {
        Map<String, Set<String>> readers = new TreeMap<>();
        try (Admin admin = Admin.create(client.kafkaClientConfigs())) {
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                Map<TopicPartition, ?> offsets = admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get();
                for (TopicPartition tp : offsets.keySet()) {
                    readers.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(g.groupId());
                }
            }
        }
        readers.keySet()
                .retainAll(EventLog.POISONED.stream()
                        .map(client.topicCatalog()::name)
                        .toList());
        return readers;
    }

    // ---- small things ----

    private static Path examples() {
        return Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("..", "examples");
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static double since(long nanos) {
        return seconds(System.nanoTime() - nanos);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static Double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String format(Double seconds) {
        return seconds == null ? "–" : String.format(Locale.ROOT, "%.1f", seconds);
    }

    private void print(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        report.add(line);
        System.out.println("chaos: " + line);
    }
}
