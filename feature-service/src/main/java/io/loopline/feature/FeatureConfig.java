package io.loopline.feature;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.model.runtime.ModelOptions;
import io.loopline.model.runtime.RuntimeOptions;

/** The feature service's configuration: the shared options, the model options and its own. */
public final class FeatureConfig extends LooplineConfig {

    public static final String SERVICE = "feature";

    public static final String WORKERS = "feature.workers";
    private static final String WORKERS_DOC = "Worker threads consuming media.validated in this process.";

    public static final String PACK_CACHE_DIR = "feature.pack.cache.dir";
    private static final String PACK_CACHE_DIR_DOC = "Where the built-in reference pack is written on first use.";

    public static ConfigDef configDef() {
        return ModelOptions.define(LooplineConfig.configDef(SERVICE))
            .define(WORKERS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, WORKERS_DOC)
            .define(PACK_CACHE_DIR, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "loopline-packs").toString(),
                new ConfigDef.NonEmptyString(), Importance.LOW, PACK_CACHE_DIR_DOC);
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

    public Path packCacheDir() {
        return Path.of(getString(PACK_CACHE_DIR));
    }

    public Optional<Path> packsDir() {
        String dir = getString(ModelOptions.PACKS_DIR);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public String defaultPack() {
        return getString(ModelOptions.DEFAULT_PACK);
    }

    public RuntimeOptions runtimeOptions() {
        return ModelOptions.runtimeOptions(this);
    }
}
