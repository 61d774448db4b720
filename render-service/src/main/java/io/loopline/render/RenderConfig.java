package io.loopline.render;

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

/** The render service's configuration: the shared options, the model options and its own. */
public final class RenderConfig extends LooplineConfig {

    public static final String SERVICE = "render";

    public static final String WORKERS = "render.workers";
    private static final String WORKERS_DOC =
            "Worker threads rendering segments in this process; they share the model sessions.";

    public static final String BATCH_MAX = "render.batch.max";
    private static final String BATCH_MAX_DOC =
            "Most waiting segments rendered together through one batched model run (same pack, size, length and "
                    + "sampling). 1: off. Batching pays on accelerators; a segment rendered again after a crash may then differ from the first "
                    + "render by rounding (docs/render.md).";

    public static final String FRAME_COMPRESSION = "render.frames.zstd.level";
    private static final String FRAME_COMPRESSION_DOC = "Zstandard level of stored frames (1 fastest … 19 smallest).";

    public static ConfigDef configDef() {
        return ModelOptions.define(LooplineConfig.configDef(SERVICE))
                .define(WORKERS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, WORKERS_DOC)
                .define(BATCH_MAX, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, BATCH_MAX_DOC)
                .define(FRAME_COMPRESSION, Type.INT, 3, Range.between(1, 19), Importance.LOW, FRAME_COMPRESSION_DOC);
    }

    public RenderConfig(Map<?, ?> props) {
        super(SERVICE, configDef(), props);
    }

    public static RenderConfig fromEnvironment(Optional<Path> file, Map<String, String> overrides) {
        return new RenderConfig(ConfigSources.resolve(configDef(), System.getenv(), file, overrides));
    }

    public int workers() {
        return getInt(WORKERS);
    }

    public int batchMax() {
        return getInt(BATCH_MAX);
    }

    public int frameCompressionLevel() {
        return getInt(FRAME_COMPRESSION);
    }
}
