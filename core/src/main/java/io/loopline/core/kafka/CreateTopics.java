package io.loopline.core.kafka;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.service.ServiceRunner;
import java.util.List;
import java.util.Map;

/**
 * A deployment's one-shot topic initialisation (the compose file's {@code topics} service, the
 * Kubernetes {@code loopline-topics} Job): creates every catalog topic and its dead-letter topic that
 * is missing, with the configured prefix, partitions and replication, then exits — so that services
 * can run with {@code topics.create=false} and the topics' settings are decided in one place.
 * Configuration from {@code LOOPLINE_*} variables or a properties file given as the only argument.
 */
public final class CreateTopics {

    private CreateTopics() {}

    public static void main(String[] args) {
        LooplineConfig config = ServiceRunner.configurationOrExit(
                args,
                file -> new LooplineConfig(
                        "topics",
                        LooplineConfig.kafkaConfigDef("topics"),
                        ConfigSources.resolve(
                                LooplineConfig.kafkaConfigDef("topics"), System.getenv(), file, Map.of())));
        List<String> created = TopicAdmin.ensureTopics(config);
        System.out.println(created.isEmpty() ? "All topics exist." : "Created " + created);
    }
}
