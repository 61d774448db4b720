package io.loopline.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LooplineConfigTest {

    private static final Map<String, String> REQUIRED =
            Map.of(LooplineConfig.S3_ACCESS_KEY, "AKIA", LooplineConfig.S3_SECRET_KEY, "very-secret");

    private static LooplineConfig parse(Map<String, String> env, Optional<Path> file, Map<String, String> overrides) {
        return new LooplineConfig(
                "ingest", ConfigSources.resolve(LooplineConfig.configDef("ingest"), env, file, overrides));
    }

    @Test
    void defaultsApplyAndGroupIsNamedAfterTheService() {
        LooplineConfig config = parse(Map.of(), Optional.empty(), REQUIRED);
        assertThat(config.groupId()).isEqualTo("loopline-ingest");
        assertThat(config.topicCatalog().name(Topics.REQUESTS)).isEqualTo("loopline.requests");
        assertThat(config.topicCatalog().partitions(Topics.RENDER_TASKS)).isEqualTo(24);
        assertThat(config.replicationFactor()).isEmpty();
        assertThat(config.storageSettings().inputsBucket()).isEqualTo("loopline-inputs");
        assertThat(config.retryPolicy().maxAttempts()).isEqualTo(12);
    }

    @Test
    void environmentVariablesAreNamedAfterTheKeysAndBeatTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("loopline.properties");
        Files.writeString(
                file, "topic.prefix=fromfile.\ns3.endpoint=http://file:9000\ns3.access.key=file\ns3.secret.key=file\n");
        Map<String, String> env = Map.of(
                "LOOPLINE_S3_ENDPOINT", "http://env:9000",
                "LOOPLINE_TOPIC_RENDER_TASKS_PARTITIONS", "48",
                "LOOPLINE_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "LOOPLINE_CONFIG_FILE", file.toString(),
                "PATH", "/usr/bin");
        LooplineConfig config = parse(env, Optional.empty(), Map.of());
        assertThat(config.getString(LooplineConfig.TOPIC_PREFIX)).isEqualTo("fromfile.");
        assertThat(config.storageSettings().endpoint()).isEqualTo("http://env:9000");
        assertThat(config.topicCatalog().partitions(Topics.RENDER_TASKS)).isEqualTo(48);
        assertThat(config.kafkaClientConfigs()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(ConfigSources.envName(LooplineConfig.S3_SECRET_KEY)).isEqualTo("LOOPLINE_S3_SECRET_KEY");

        LooplineConfig overridden =
                parse(env, Optional.empty(), Map.of(LooplineConfig.S3_ENDPOINT, "http://flag:9000"));
        assertThat(overridden.storageSettings().endpoint()).isEqualTo("http://flag:9000");
    }

    @Test
    void invalidValuesStopStartUpNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("LOOPLINE_RETRY_MAX_ATTEMPTS", "0"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.RETRY_MAX_ATTEMPTS);
        assertThatThrownBy(() -> parse(Map.of("LOOPLINE_WORKER_POLL_TIMEOUT_MS", "soon"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.WORKER_POLL_TIMEOUT_MS);
        assertThatThrownBy(() -> parse(Map.of("LOOPLINE_S3_BUCKET_WORK", "Bad_Bucket"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.S3_BUCKET_WORK);
        assertThatThrownBy(() -> parse(Map.of("LOOPLINE_S3_ENDPOINT", "minio:9000"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.S3_ENDPOINT);
        assertThatThrownBy(() -> parse(Map.of("LOOPLINE_TOPIC_REPLICATION_FACTOR", "0"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.TOPIC_REPLICATION_FACTOR);
        assertThatThrownBy(() -> parse(Map.of("LOOPLINE_RETRY_BACKOFF_MAX_MS", "10"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.RETRY_BACKOFF_MAX_MS);
        assertThatThrownBy(() -> parse(Map.of(), Optional.empty(), Map.of(LooplineConfig.S3_SECRET_KEY, "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.S3_ACCESS_KEY);
        assertThatThrownBy(() -> parse(
                        Map.of("LOOPLINE_SERDE_VALUE_SERIALIZER", "com.example.Missing"), Optional.empty(), REQUIRED))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(LooplineConfig.SERDE_VALUE_SERIALIZER);
    }

    @Test
    void theEffectiveConfigurationIsDescribedWithSecretsMasked() {
        LooplineConfig config = parse(
                Map.of(
                        "LOOPLINE_KAFKA_CLIENT_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"hunter2\";"),
                Optional.empty(),
                REQUIRED);
        String described = config.describe();
        assertThat(described)
                .contains("s3.access.key = AKIA")
                .contains("s3.secret.key = [hidden]")
                .contains("kafka.client.sasl.jaas.config = [hidden]")
                .contains("worker.group.id = loopline-ingest")
                .doesNotContain("very-secret")
                .doesNotContain("hunter2");
        assertThat(config.storageSettings().toString()).doesNotContain("very-secret");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(policy.backoffAfter(1)).hasMillis(100);
        assertThat(policy.backoffAfter(2)).hasMillis(200);
        assertThat(policy.backoffAfter(3)).hasMillis(350);
        assertThat(policy.backoffAfter(60)).hasMillis(350);
        assertThat(policy.retriesAfter(3)).isTrue();
        assertThat(policy.retriesAfter(4)).isFalse();
    }
}
