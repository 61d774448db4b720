package io.loopline.cli;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the cluster is, for the commands that talk to a real deployment: flags win over
 * {@code LOOPLINE_*} environment variables, which win over a properties file — the same keys the
 * services read (docs/configuration.md).
 */
final class ClusterOptions {

    @Option(names = "--config", description = "Properties file with Loopline options (also: LOOPLINE_CONFIG_FILE).")
    Path config;

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (LOOPLINE_KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", description = "Topic prefix of the deployment (LOOPLINE_TOPIC_PREFIX).")
    String topicPrefix;

    @Option(names = "--s3-endpoint", description = "S3 endpoint URL (LOOPLINE_S3_ENDPOINT).")
    String s3Endpoint;

    @Option(names = "--s3-access-key", description = "S3 access key (LOOPLINE_S3_ACCESS_KEY).")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", description = "S3 secret key (LOOPLINE_S3_SECRET_KEY).")
    String s3SecretKey;

    LooplineConfig resolve() {
        Map<String, String> flags = new HashMap<>();
        put(flags, LooplineConfig.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        put(flags, LooplineConfig.TOPIC_PREFIX, topicPrefix);
        put(flags, LooplineConfig.S3_ENDPOINT, s3Endpoint);
        put(flags, LooplineConfig.S3_ACCESS_KEY, s3AccessKey);
        put(flags, LooplineConfig.S3_SECRET_KEY, s3SecretKey);
        // Commands create nothing on a cluster: the services own their topics and buckets.
        flags.put(LooplineConfig.S3_BUCKETS_CREATE, "false");
        return new LooplineConfig(
                "cli",
                ConfigSources.resolve(
                        LooplineConfig.configDef("cli"), System.getenv(), Optional.ofNullable(config), flags));
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
