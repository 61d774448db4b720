package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.storage.StorageSettings;
import io.loopline.ingest.IngestConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python example (examples/python/loopline_client.py) against the in-process pipeline, with Debian's
 * python3-confluent-kafka, python3-avro and python3-boto3: it uploads, signs and publishes a request in the
 * pipeline's wire format, and reads the Java-written completion back — the cross-language contract, run. Skipped,
 * saying so, where no Python has those packages (.ci/run installs them).
 */
class PythonClientIT {

    private static final Path MEDIA = Path.of("..", "ingest-service", "src", "test", "resources", "media", "good");
    private static final Path CLIENT = Path.of("..", "examples", "python", "loopline_client.py");
    private static final byte[] KEY = "a key of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    private static String python;
    private static EmbeddedPipeline pipeline;
    private static Path settings;
    private static Path keyFile;

    @BeforeAll
    static void start() throws Exception {
        python = pythonWithPackages();
        assumeTrue(
                python != null,
                "No Python 3 with the modules confluent_kafka, avro and boto3: apt-get install python3-confluent-kafka"
                        + " python3-avro python3-boto3");
        Path keys = dir.resolve("tenant-keys.properties");
        Files.writeString(keys, "acme=" + Base64.getEncoder().encodeToString(KEY) + "\n");
        keyFile = Files.writeString(dir.resolve("acme.key"), Base64.getEncoder().encodeToString(KEY) + "\n");
        pipeline = EmbeddedPipeline.start(dir.resolve("state"), Map.of(IngestConfig.TENANT_KEYS_FILE, keys.toString()));
        LooplineConfig client = pipeline.clientConfig();
        StorageSettings s3 = client.storageSettings();
        settings = Files.writeString(
                dir.resolve("cluster.properties"),
                String.join(
                        "\n",
                        "kafka.bootstrap.servers=" + client.bootstrapServers(),
                        "s3.endpoint=" + s3.endpoint(),
                        "s3.region=" + s3.region(),
                        "s3.access.key=" + s3.accessKey(),
                        "s3.secret.key=" + s3.secretKey(),
                        ""));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aSignedRequestFromPythonBecomesAVideoItDownloads() throws Exception {
        Path out = dir.resolve("talk.mp4");
        Result r = runClient("--tenant-key-file", keyFile.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("Wrote " + out);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(out.toFile())) {
            grabber.start();
            assertThat(grabber.getImageWidth()).isEqualTo(128);
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            assertThat(r.output()).contains("Wrote " + out + ": " + frames + " frames at 25 fps");
        }
    }

    @Test
    void anUnsignedRequestIsRefusedWithItsCode() throws Exception {
        Result r = runClient("--out", dir.resolve("never.mp4").toString());

        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("ERROR REQUEST_UNAUTHENTICATED: ");
        assertThat(dir.resolve("never.mp4")).doesNotExist();
    }

    private record Result(int exit, String output) {}

    private static Result runClient(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                python,
                CLIENT.toString(),
                "--config",
                settings.toString(),
                "--tenant",
                "acme",
                "--image",
                MEDIA.resolve("photo-grace-hopper.jpg").toString(),
                "--audio",
                MEDIA.resolve("speech.wav").toString(),
                "--size",
                "128",
                "--timeout",
                "240"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), output);
    }

    /** Debian's Python first (the packages install there), then whatever python3 is on the path. */
    private static String pythonWithPackages() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import confluent_kafka, avro, boto3")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (Exception e) {
                // not this one
            }
        }
        return null;
    }
}
