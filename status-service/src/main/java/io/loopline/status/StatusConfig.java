package io.loopline.status;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.streams.StreamsApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The status view's configuration: the shared Kafka options (it touches no object storage, so no
 * {@code s3.*}) and its own. Its Streams application id is {@code worker.group.id}.
 */
public final class StatusConfig extends LooplineConfig {

    public static final String SERVICE = "status";

    public static final String STATE_DIR = "status.state.dir";

    public static final String RETENTION_HOURS = "status.retention.hours";
    private static final String RETENTION_HOURS_DOC =
            "How long a finished request's status stays in the state store (the compacted status topic keeps it regardless):"
                    + " events of a request within this time cannot reopen it.";

    public static ConfigDef configDef() {
        return LooplineConfig.kafkaConfigDef(SERVICE)
                .define(STATE_DIR, Type.STRING, "", Importance.MEDIUM, StreamsApplication.STATE_DIR_DOC)
                .define(
                        RETENTION_HOURS,
                        Type.LONG,
                        24L * 30,
                        Range.between(1, 24L * 3650),
                        Importance.LOW,
                        RETENTION_HOURS_DOC);
    }

    public StatusConfig(Map<?, ?> props) {
        super(SERVICE, configDef(), props);
    }

    public static StatusConfig fromEnvironment(Optional<Path> file, Map<String, String> overrides) {
        return new StatusConfig(ConfigSources.resolve(configDef(), System.getenv(), file, overrides));
    }

    public Path stateDir() {
        return StreamsApplication.stateDir(getString(STATE_DIR), groupId());
    }

    public Duration retention() {
        return Duration.ofHours(getLong(RETENTION_HOURS));
    }
}
