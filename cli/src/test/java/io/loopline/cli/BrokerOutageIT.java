package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.ObjectRef;
import io.loopline.events.VideoCompleted;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch --wait} started while the broker is down waits it out — well past the Kafka client's own API
 * timeout, here 2 s — and downloads the video once the broker is back and the request completes.
 */
class BrokerOutageIT {

    @TempDir
    Path dir;

    @Test
    void fetchWaitRidesOutABrokerOutage() throws Exception {
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
            Map<String, String> settings = TestClusters.settings(infra, "cli", Map.of());
            LooplineConfig config = new LooplineConfig("cli", settings);
            TopicAdmin.ensureTopics(config);
            ObjectStore store = new ObjectStore(config.storageSettings());
            store.ensureBuckets();
            byte[] video = "not really an mp4, but bytes to download".getBytes(StandardCharsets.UTF_8);
            ObjectRef ref = store.put(store.outputsBucket(), "acme/outage-1/mux/video.mp4", video, "video/mp4");

            // The client's own timeouts are short, so only waiting beyond them can ride out the outage.
            Properties file = new Properties();
            file.putAll(settings);
            file.put(LooplineConfig.KAFKA_CLIENT_PREFIX + "default.api.timeout.ms", "2000");
            file.put(LooplineConfig.KAFKA_CLIENT_PREFIX + "request.timeout.ms", "1000");
            Path properties = dir.resolve("cluster.properties");
            try (var out = Files.newBufferedWriter(properties)) {
                file.store(out, null);
            }
            Path target = dir.resolve("video.mp4");

            infra.kafka().stop();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream oldErr = System.err;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                CompletableFuture<Integer> fetch = CompletableFuture.supplyAsync(() -> Loopline.execute(
                        "fetch", "outage-1", "--wait", "--out", target.toString(), "--config", properties.toString()));
                Thread.sleep(8_000);
                assertThat(fetch).as("fetch --wait during the outage").isNotDone();

                infra.kafka().start();
                TestClusters.publish(
                        config,
                        Topics.VIDEOS_COMPLETED,
                        "outage-1",
                        VideoCompleted.newBuilder(SampleEvents.videoCompleted())
                                .setRequestId("outage-1")
                                .setTenant("acme")
                                .setVideo(ref)
                                .build());
                assertThat(fetch.get(90, TimeUnit.SECONDS)).isZero();
            } finally {
                System.setErr(oldErr);
            }
            assertThat(Files.readAllBytes(target)).isEqualTo(video);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not answer; still waiting for it");
        }
    }
}
