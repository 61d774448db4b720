package io.loopline.packstage;

import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import java.nio.file.Path;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** The model options of services that run packs (feature, render), declared once. */
public final class ModelOptions {

    public static final String PACKS_DIR = "model.packs.dir";
    private static final String PACKS_DIR_DOC =
            "Folder holding installed model packs, one sub-folder per pack name; empty: only the built-in reference pack.";

    public static final String PACK_CACHE_DIR = "model.pack.cache.dir";
    private static final String PACK_CACHE_DIR_DOC =
            "Where the built-in reference pack is written on first use (under a name derived from its bytes).";

    public static final String DEFAULT_PACK = "model.pack.default";
    private static final String DEFAULT_PACK_DOC = "Pack used when a request names none.";

    public static final String DEVICE = "model.device";
    private static final String DEVICE_DOC =
            "Where ONNX Runtime runs: cpu, or cuda (needs the GPU runtime, CUDA 12 and cuDNN 9).";

    public static final String CUDA_DEVICE_ID = "model.cuda.device.id";
    private static final String CUDA_DEVICE_ID_DOC = "GPU index for model.device=cuda.";

    public static final String GPU_MEMORY_LIMIT = "model.gpu.memory.limit.bytes";
    private static final String GPU_MEMORY_LIMIT_DOC = "Most bytes the CUDA arena may take; 0: no limit.";

    public static final String ARENA_STRATEGY = "model.gpu.arena.strategy";
    private static final String ARENA_STRATEGY_DOC = "How the CUDA arena grows: kNextPowerOfTwo or kSameAsRequested.";

    public static final String THREADS = "model.threads";
    private static final String THREADS_DOC = "Threads inside one model operator (intra-op); 0: one per core.";

    public static final String CUDA_FALLBACK = "model.cuda.fallback";
    private static final String CUDA_FALLBACK_DOC =
            "When CUDA is asked for but unavailable: run on the CPU (true) or refuse to start (false).";

    private ModelOptions() {}

    public static ConfigDef define(ConfigDef def) {
        return def.define(PACKS_DIR, Type.STRING, "", Importance.MEDIUM, PACKS_DIR_DOC)
                .define(
                        PACK_CACHE_DIR,
                        Type.STRING,
                        Path.of(System.getProperty("java.io.tmpdir"), "loopline-packs")
                                .toString(),
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        PACK_CACHE_DIR_DOC)
                .define(
                        DEFAULT_PACK,
                        Type.STRING,
                        "reference",
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        DEFAULT_PACK_DOC)
                .define(DEVICE, Type.STRING, "cpu", ValidString.in("cpu", "cuda"), Importance.HIGH, DEVICE_DOC)
                .define(CUDA_DEVICE_ID, Type.INT, 0, Range.atLeast(0), Importance.LOW, CUDA_DEVICE_ID_DOC)
                .define(GPU_MEMORY_LIMIT, Type.LONG, 0L, Range.atLeast(0), Importance.LOW, GPU_MEMORY_LIMIT_DOC)
                .define(
                        ARENA_STRATEGY,
                        Type.STRING,
                        "kNextPowerOfTwo",
                        ValidString.in("kNextPowerOfTwo", "kSameAsRequested"),
                        Importance.LOW,
                        ARENA_STRATEGY_DOC)
                .define(THREADS, Type.INT, 0, Range.between(0, 256), Importance.MEDIUM, THREADS_DOC)
                .define(CUDA_FALLBACK, Type.BOOLEAN, false, Importance.LOW, CUDA_FALLBACK_DOC);
    }

    /** The packs this configuration can run, loaded through {@code sessions}. */
    public static PackRegistry packRegistry(AbstractConfig config, OnnxSessions sessions) {
        String dir = config.getString(PACKS_DIR);
        return new PackRegistry(
                dir.isBlank() ? null : Path.of(dir), Path.of(config.getString(PACK_CACHE_DIR)), sessions);
    }

    public static String defaultPack(AbstractConfig config) {
        return config.getString(DEFAULT_PACK);
    }

    public static RuntimeOptions runtimeOptions(AbstractConfig config) {
        return new RuntimeOptions(
                config.getString(DEVICE),
                config.getInt(CUDA_DEVICE_ID),
                config.getLong(GPU_MEMORY_LIMIT),
                config.getString(ARENA_STRATEGY),
                config.getInt(THREADS),
                1,
                config.getBoolean(CUDA_FALLBACK));
    }
}
