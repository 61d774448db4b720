package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code loopline generate}, as a user presses it: a process of its own with a temporary folder of
 * its own gets SIGINT while it renders; it says it was interrupted, exits 130 and leaves nothing behind but the
 * model-pack cache (kept on purpose, for the next run) — no broker, storage, work or ONNX Runtime folder, no
 * output file.
 */
class GenerateInterruptIT {

    @TempDir
    Path dir;

    @Test
    void ctrlCWhileRenderingSaysSoAndLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = dir.resolve("talk.mp4");
        Path examples = Path.of("..", "examples");
        Process generate = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Djava.io.tmpdir=" + tmp,
                        "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.loopline.events,io.loopline.state",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Loopline.class.getName(),
                        "generate",
                        "--image",
                        examples.resolve("portrait.jpg").toString(),
                        "--audio",
                        examples.resolve("speech-20s.flac").toString(),
                        "--out",
                        out.toString())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(generate.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && lines.stream().noneMatch(l -> l.contains("rendering"))) {
            assertThat(generate.isAlive())
                    .as("generate still running: %s", lines)
                    .isTrue();
            Thread.sleep(100);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(generate.pid()))
                .start()
                .waitFor();
        assertThat(generate.waitFor(60, TimeUnit.SECONDS))
                .as("ended after Ctrl-C")
                .isTrue();
        reader.join(10_000);

        assertThat(generate.exitValue()).isEqualTo(130);
        assertThat(lines).contains("Interrupted: removing the temporary files.");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsOnly("loopline-packs");
        }
        try (Stream<Path> outputs = Files.list(dir)) {
            assertThat(outputs.map(p -> p.getFileName().toString())).containsOnly("tmp");
        }
    }
}
