package io.loopline.feature;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.packstage.ModelOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The feature service's configuration: the shared options, the model options and its own. */
public final class FeatureConfig extends LooplineConfig {

    public static final String SERVICE = "feature";

    public static final String WORKERS = "feature.workers";
    private static final String WORKERS_DOC = "Worker threads consuming media.validated in this process.";

    public static ConfigDef configDef() {
        return ModelOptions.define(LooplineConfig.configDef(SERVICE))
                .define(WORKERS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, WORKERS_DOC);
    }

    public FeatureConfig(Map<?, ?> props) {
        super(SERVICE, configDef(), props);
    }

    public static FeatureConfig fromEnvironment(Optional<Path> file, Map<String, String> overrides) {
        return new FeatureConfig(ConfigSources.resolve(configDef(), System.getenv(), file, overrides));
    }

    public int workers() {
        return getInt(WORKERS);
    }
}
