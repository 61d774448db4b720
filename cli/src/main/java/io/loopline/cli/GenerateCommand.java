package io.loopline.cli;

import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.cli.internals.ProgressView;
import io.loopline.cli.internals.StreamFollower;
import io.loopline.client.RequestEvents;
import io.loopline.client.Submission;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.VideoCompleted;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.pack.PackRegistry;
import io.loopline.mux.MuxConfig;
import io.loopline.packstage.ModelOptions;
import io.loopline.quality.VideoQuality;
import io.loopline.render.RenderConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loopline generate}: the whole pipeline in this process, from two files to an MP4. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Makes a talking-portrait video from an image and an audio track, with Kafka, S3 storage and all services embedded.")
final class GenerateCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(GenerateCommand.class);

    @Mixin
    RequestOptions request;

    @Option(
            names = {"--out", "-o"},
            required = true,
            description = "Where to write the MP4.")
    Path out;

    @Option(
            names = "--pack",
            paramLabel = "NAME|DIR",
            description = "The model pack: a built-in one by name (reference, the default; reference-history, chained,"
                    + " the head carried from segment to segment through the frames) or a pack folder (see: loopline pack"
                    + " export).")
    String pack;

    @Option(names = "--render-workers", description = "Render worker threads (default: one per CPU core).")
    Integer renderWorkers;

    @Option(
            names = "--stream",
            paramLabel = "DIR",
            description =
                    "Also write the video as an HLS stream into DIR as it is made (open DIR/index.m3u8 in a player"
                            + " before the command ends); costs a second encoding.")
    Path stream;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintStream err = System.err;
        Path output = out.toAbsolutePath();
        if (output.getParent() != null && !Files.isDirectory(output.getParent())) {
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID, "The folder of --out, " + output.getParent() + ", does not exist.");
        }
        if (Files.isDirectory(output)) {
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID, "--out " + output + " is a folder; give the path of the MP4 to write.");
        }
        // Everything that can be refused is refused here, before the broker, storage and services start.
        Submission.validate(request.tenant, null, request.toGenerationOptions(null));
        Submission.requireReadable(request.image, "image");
        Submission.requireReadable(request.audio, "audio");
        Path work = Files.createTempDirectory("loopline-generate-");
        // Ctrl-C runs the shutdown hooks but not this method's finally blocks: the hook says so and cleans up.
        AtomicReference<EmbeddedPipeline> running = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> interrupted(err, running, work, output, done), "loopline-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return generate(err, work, output, started, running);
        } finally {
            done.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it cleans up.
            }
            FileUtils.deleteQuietly(work.toFile());
        }
    }

    /**
     * On Ctrl-C (or SIGTERM) before the video is written: say so, stop the broker and the storage server (they
     * delete their folders), and remove the work folder (the services' state and encodings) and a download in
     * progress (the output file itself appears only once it is whole).
     */
    private static void interrupted(
            PrintStream err, AtomicReference<EmbeddedPipeline> running, Path work, Path output, AtomicBoolean done) {
        if (done.get()) {
            return;
        }
        err.println();
        err.println("Interrupted: removing the temporary files.");
        // The services run on until the JVM halts and would only log that their broker and storage went away.
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        EmbeddedPipeline pipeline = running.get();
        if (pipeline != null) {
            pipeline.abandon();
        }
        FileUtils.deleteQuietly(work.toFile());
        FileUtils.deleteQuietly(output.resolveSibling(output.getFileName() + ObjectStore.PARTIAL_SUFFIX)
                .toFile());
    }

    private int generate(
            PrintStream err, Path work, Path output, long started, AtomicReference<EmbeddedPipeline> running)
            throws Exception {
        Map<String, String> overrides = new HashMap<>();
        String packName = null;
        if (pack != null && PackRegistry.builtInNames().contains(pack)) {
            packName = pack;
        } else if (pack != null) {
            packName = installPack(Path.of(pack), work.resolve("packs"));
            overrides.put(ModelOptions.PACKS_DIR, work.resolve("packs").toString());
        }
        if (renderWorkers != null) {
            overrides.put(RenderConfig.WORKERS, renderWorkers.toString());
        }
        // The stream is a second encoding: only when it is asked for.
        overrides.put(MuxConfig.STREAM_ENABLED, Boolean.toString(stream != null));
        var options = request.toGenerationOptions(packName);
        String requestId = Submission.newRequestId();
        boolean terminal = System.console() != null;
        ProgressView progress = new ProgressView(err, terminal);
        err.println("Starting the embedded pipeline (Kafka, S3 storage, ingest, feature, render, mux, status)...");
        // The request goes in as soon as the broker and storage are up, while the services start.
        AtomicReference<Exception> notSubmitted = new AtomicReference<>();
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(work.resolve("streams"), overrides, client -> {
            try {
                Submission.submit(client, request.tenant, requestId, request.image, request.audio, options);
            } catch (Exception e) {
                notSubmitted.set(e);
            }
        })) {
            running.set(pipeline);
            if (notSubmitted.get() != null) {
                throw notSubmitted.get();
            }
            var config = pipeline.clientConfig();
            StreamFollower follower = stream == null
                    ? null
                    : new StreamFollower(new ObjectStore(config.storageSettings()), request.tenant, requestId, stream);
            try (RequestEvents events = new RequestEvents(config, requestId)) {
                RequestEvents.Snapshot snapshot = events.untilFinished(Duration.ofMillis(500), null, s -> {
                    s.status().ifPresent(progress::show);
                    follow(follower);
                });
                progress.finish();
                follow(follower);
                if (follower != null) {
                    err.println("Stream: " + follower.playlist());
                }
                if (snapshot.failed().isPresent()) {
                    var f = snapshot.failed().get();
                    throw new RequestFailedException(f);
                }
                VideoCompleted done = snapshot.completed().orElseThrow();
                new ObjectStore(config.storageSettings()).download(done.getVideo(), output);
                printResult(done, output, (System.nanoTime() - started) / 1e9);
                announceStartUpArchive(err);
                return 0;
            }
        }
    }

    /** Mirrors what is new of the stream, when one is asked for; a failed copy waits for the next poll. */
    private static void follow(StreamFollower follower) {
        if (follower == null) {
            return;
        }
        try {
            follower.poll();
        } catch (IOException e) {
            log.debug("Following the stream: {}", e.toString());
        }
    }

    /** The pack folder, linked under a valid pack name in a packs folder of our own. */
    private static String installPack(Path dir, Path packsDir) throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new RequestRejectedException(
                    ErrorCode.MODEL_PACK_UNKNOWN,
                    "--pack " + dir + " is neither a built-in pack " + PackRegistry.builtInNames() + " nor a folder.");
        }
        if (!Files.isRegularFile(dir.resolve(PackLoader.MANIFEST))) {
            throw new RequestRejectedException(
                    ErrorCode.MODEL_PACK_INVALID,
                    "The folder " + dir + " has no " + PackLoader.MANIFEST + "; it is not a model pack.");
        }
        Files.createDirectories(packsDir);
        String name = "user-pack";
        Files.createSymbolicLink(packsDir.resolve(name), dir.toAbsolutePath());
        return name;
    }

    /**
     * The launcher's first generate after a build has the JVM write a class-data archive as it exits (later runs
     * start faster from it), which keeps the command running after "Wrote": say so.
     */
    private static void announceStartUpArchive(PrintStream err) {
        boolean writing = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="));
        if (writing) {
            err.println("Preparing a faster start-up for the next runs (once, about 10 s)...");
        }
    }

    private static void printResult(VideoCompleted done, Path output, double seconds) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "Wrote %s: %.2f s, %d×%d, %d fps, H.264 + AAC, %.1f MB, in %.1f s%n",
                output,
                done.getDurationMs() / 1000.0,
                done.getWidth(),
                done.getHeight(),
                done.getFps(),
                Files.size(output) / 1e6,
                seconds);
        StringBuilder q = new StringBuilder("Quality:");
        Map<String, Double> figures = new TreeMap<>(done.getQuality());
        // A figure mux could not measure on this video is absent from the event; say so rather than leave a gap.
        for (String key : new String[] {VideoQuality.LIP_SYNC, VideoQuality.SILENT_LIP_RATIO}) {
            figures.putIfAbsent(key, Double.NaN);
        }
        figures.forEach(
                (k, v) -> q.append(v.isNaN() ? " " + k + " n/a" : String.format(Locale.ROOT, " %s %.3f", k, v)));
        System.out.println(q);
    }
}
