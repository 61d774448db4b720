package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.client.RequestEvents;
import io.loopline.client.Submission;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.GenerationOptions;
import io.loopline.events.VideoCompleted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The four services against the real Kafka and MinIO images that docker-compose.yml runs (not the
 * in-process stand-ins): a request becomes a stored MP4 and one completion. Needs a Docker engine;
 * where there is none, JUnit reports it skipped ("Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersPipelineIT {

    private static final Path MEDIA = Path.of("..", "ingest-service", "src", "test", "resources", "media", "good");

    /** The images docker-compose.yml names. */
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Container
    static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z")
            .withUserName("loopline")
            .withPassword("loopline-secret");

    @Test
    void aRequestBecomesAVideoAgainstKafkaAndMinioContainers(@TempDir Path state) throws Exception {
        Map<String, String> cluster = Map.of(
                LooplineConfig.KAFKA_BOOTSTRAP_SERVERS, KAFKA.getBootstrapServers(),
                LooplineConfig.S3_ENDPOINT, MINIO.getS3URL(),
                LooplineConfig.S3_ACCESS_KEY, MINIO.getUserName(),
                LooplineConfig.S3_SECRET_KEY, MINIO.getPassword());
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.against(cluster, state, Map.of())) {
            LooplineConfig client = pipeline.clientConfig();
            Submission.submit(
                    client,
                    "acme",
                    "containers-1",
                    MEDIA.resolve("photo-grace-hopper.jpg"),
                    MEDIA.resolve("speech.wav"),
                    GenerationOptions.newBuilder()
                            .setSeed(1)
                            .setOutputSize(128)
                            .setFps(25)
                            .build());
            try (RequestEvents events = new RequestEvents(client, "containers-1")) {
                RequestEvents.Snapshot s =
                        events.untilFinished(Duration.ofMillis(200), Duration.ofMinutes(5), snapshot -> {});
                assertThat(s.failed()).isEmpty();
                VideoCompleted completed = s.completed().orElseThrow();
                Path mp4 = state.resolve("video.mp4");
                new ObjectStore(client.storageSettings()).download(completed.getVideo(), mp4);
                assertThat(Files.size(mp4))
                        .isEqualTo(completed.getVideo().getSize())
                        .isPositive();
                assertThat(completed.getFrameCount()).isPositive();
            }
        }
    }
}
