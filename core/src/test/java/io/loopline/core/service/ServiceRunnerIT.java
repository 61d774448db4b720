package io.loopline.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.embedded.FreePorts;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service run as its own process: configured from LOOPLINE_* variables, logs its config masked, serves health and
 * Prometheus metrics, stops cleanly on SIGTERM.
 */
class ServiceRunnerIT {

    @Test
    void aServiceProcessWorksAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
            int managementPort = FreePorts.pick();
            Map<String, String> settings = TestClusters.settings(
                    infra, "echo", Map.of(LooplineConfig.MANAGEMENT_PORT, Integer.toString(managementPort)));
            LooplineConfig config = new LooplineConfig("echo", settings);
            Path log = dir.resolve("service.log");
            ProcessBuilder pb = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                            "-cp",
                            System.getProperty("java.class.path"),
                            EchoServiceMain.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            settings.forEach((k, v) -> pb.environment().put(ConfigSources.envName(k), v));
            Process process = pb.start();
            try {
                TestClusters.publish(config, Topics.REQUESTS, "sig-1", SampleEvents.request("acme", "sig-1"));
                assertThat(TestClusters.read(
                                config, config.topicCatalog().name(Topics.STATUS), 1, Duration.ofSeconds(90)))
                        .hasSize(1);

                // What the orchestrator probes and Prometheus scrapes.
                assertThat(get(managementPort, ManagementServer.LIVE).statusCode())
                        .isEqualTo(200);
                assertThat(get(managementPort, ManagementServer.READY).statusCode())
                        .isEqualTo(200);
                HttpResponse<String> metrics = get(managementPort, ManagementServer.METRICS);
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                        .containsPattern(
                                "loopline_records_in_total\\{[^}]*service=\"echo[^\"]*\"[^}]*stage=\"ingest\"[^}]*} 1\\.0")
                        .containsPattern("loopline_records_out_total\\{[^}]*topic=\"status\"[^}]*} 1\\.0")
                        .contains("loopline_stage_processing_seconds_bucket{")
                        .contains("jvm_memory_used_bytes{");

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(60, TimeUnit.SECONDS))
                        .as("exits after SIGTERM")
                        .isTrue();
                // The JVM ends a SIGTERM'd process with 128 + 15 once the shutdown hooks (our graceful stop) ran.
                assertThat(process.exitValue()).isEqualTo(143);
            } finally {
                process.destroyForcibly();
            }
            String output = read(log);
            assertThat(output)
                    .contains("s3.secret.key = [hidden]")
                    .doesNotContain(infra.s3().secretKey());
            assertThat(output).contains("signal received").contains("stopped");
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
