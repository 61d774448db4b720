package io.loopline.ingest;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.requests.RequestValidator;
import io.loopline.ingest.internals.AudioNormalizer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The ingest service's configuration: the shared options plus the limits ingest enforces. */
public final class IngestConfig extends LooplineConfig {

    public static final String SERVICE = "ingest";

    public static final String WORKERS = "ingest.workers";
    private static final String WORKERS_DOC =
            "Worker threads consuming requests in this process (each with its own face models).";

    public static final String IMAGE_MAX_BYTES = "ingest.image.max.bytes";
    private static final String IMAGE_MAX_BYTES_DOC = "Largest image file accepted, checked before download.";

    public static final String IMAGE_MAX_PIXELS = "ingest.image.max.pixels";
    private static final String IMAGE_MAX_PIXELS_DOC =
            "Most pixels an image may declare in its header; checked before decoding (decompression bombs).";

    public static final String AUDIO_MAX_BYTES = "ingest.audio.max.bytes";
    private static final String AUDIO_MAX_BYTES_DOC = "Largest audio file accepted, checked before download.";

    public static final String AUDIO_MIN_DURATION_MS = "ingest.audio.min.duration.ms";
    private static final String AUDIO_MIN_DURATION_MS_DOC = "Shortest decoded audio accepted.";

    public static final String AUDIO_MAX_DURATION_MS = "ingest.audio.max.duration.ms";
    private static final String AUDIO_MAX_DURATION_MS_DOC =
            "Longest decoded audio accepted (measured from the samples, not from headers).";

    public static final String FACE_MIN_PIXELS = "ingest.face.min.pixels";
    private static final String FACE_MIN_PIXELS_DOC =
            "Smallest face (longer side of its box, in source pixels) that can be animated at all.";

    public static final String FACE_UPSCALE_WARNING = "ingest.face.upscale.warning";
    private static final String FACE_UPSCALE_WARNING_DOC =
            "Framing that enlarges the face more than this factor adds a FACE_UPSCALED warning to the event.";

    public static final String FACE_DOMINANCE_RATIO = "ingest.face.dominance.ratio";
    private static final String FACE_DOMINANCE_RATIO_DOC =
            "With several faces, the largest is used when its area is at least this many times the next one's; otherwise MULTIPLE_FACES.";

    public static final String TENANT_KEYS_FILE = "ingest.tenant.keys.file";
    private static final String TENANT_KEYS_FILE_DOC =
            "Properties file of tenant=key lines (each key base64, at least 32 bytes; several comma-separated while a"
                    + " key is rotated). With it, every request must be signed with its tenant's key (its signature"
                    + " field), or it fails as REQUEST_UNAUTHENTICATED before any storage is read; the file is read"
                    + " again when it changes. Empty: requests are not checked, and only who may write to the requests"
                    + " topic keeps tenants apart.";

    public static final String DEFAULT_OUTPUT_SIZE = "ingest.default.output.size";
    private static final String DEFAULT_OUTPUT_SIZE_DOC = "Output width and height when a request does not say.";

    public static ConfigDef configDef() {
        return LooplineConfig.configDef(SERVICE)
                .define(WORKERS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, WORKERS_DOC)
                .define(
                        IMAGE_MAX_BYTES,
                        Type.LONG,
                        25L * 1024 * 1024,
                        Range.between(1024, 1L << 31),
                        Importance.MEDIUM,
                        IMAGE_MAX_BYTES_DOC)
                .define(
                        IMAGE_MAX_PIXELS,
                        Type.LONG,
                        50_000_000L,
                        Range.between(10_000, 1L << 30),
                        Importance.MEDIUM,
                        IMAGE_MAX_PIXELS_DOC)
                .define(
                        AUDIO_MAX_BYTES,
                        Type.LONG,
                        512L * 1024 * 1024,
                        Range.between(1024, 1L << 34),
                        Importance.MEDIUM,
                        AUDIO_MAX_BYTES_DOC)
                .define(
                        AUDIO_MIN_DURATION_MS,
                        Type.LONG,
                        500L,
                        Range.between(1, 60_000),
                        Importance.MEDIUM,
                        AUDIO_MIN_DURATION_MS_DOC)
                .define(
                        AUDIO_MAX_DURATION_MS,
                        Type.LONG,
                        15 * 60_000L,
                        Range.between(10_000, 4 * 3_600_000L),
                        Importance.MEDIUM,
                        AUDIO_MAX_DURATION_MS_DOC)
                .define(FACE_MIN_PIXELS, Type.INT, 40, Range.between(8, 1024), Importance.LOW, FACE_MIN_PIXELS_DOC)
                .define(
                        FACE_UPSCALE_WARNING,
                        Type.DOUBLE,
                        2.0,
                        Range.between(1.0, 100.0),
                        Importance.LOW,
                        FACE_UPSCALE_WARNING_DOC)
                .define(
                        FACE_DOMINANCE_RATIO,
                        Type.DOUBLE,
                        2.0,
                        Range.between(1.0, 100.0),
                        Importance.LOW,
                        FACE_DOMINANCE_RATIO_DOC)
                .define(TENANT_KEYS_FILE, Type.STRING, "", Importance.HIGH, TENANT_KEYS_FILE_DOC)
                .define(
                        DEFAULT_OUTPUT_SIZE,
                        Type.INT,
                        512,
                        Range.between(RequestValidator.MIN_OUTPUT_SIZE, RequestValidator.MAX_OUTPUT_SIZE),
                        Importance.MEDIUM,
                        DEFAULT_OUTPUT_SIZE_DOC);
    }

    public IngestConfig(Map<?, ?> props) {
        super(SERVICE, configDef(), props);
        if (defaultOutputSize() % RequestValidator.OUTPUT_SIZE_STEP != 0) {
            throw new ConfigException(
                    DEFAULT_OUTPUT_SIZE,
                    defaultOutputSize(),
                    "must be a multiple of " + RequestValidator.OUTPUT_SIZE_STEP);
        }
    }

    /** Configuration from the environment (and {@code LOOPLINE_CONFIG_FILE}), as a container runs it. */
    public static IngestConfig fromEnvironment(Optional<Path> file, Map<String, String> overrides) {
        return new IngestConfig(ConfigSources.resolve(configDef(), System.getenv(), file, overrides));
    }

    public int workers() {
        return getInt(WORKERS);
    }

    public long imageMaxBytes() {
        return getLong(IMAGE_MAX_BYTES);
    }

    public long imageMaxPixels() {
        return getLong(IMAGE_MAX_PIXELS);
    }

    public long audioMaxBytes() {
        return getLong(AUDIO_MAX_BYTES);
    }

    public AudioNormalizer.Limits audioLimits() {
        return new AudioNormalizer.Limits(getLong(AUDIO_MIN_DURATION_MS), getLong(AUDIO_MAX_DURATION_MS));
    }

    public int faceMinPixels() {
        return getInt(FACE_MIN_PIXELS);
    }

    public double faceUpscaleWarning() {
        return getDouble(FACE_UPSCALE_WARNING);
    }

    public double faceDominanceRatio() {
        return getDouble(FACE_DOMINANCE_RATIO);
    }

    /** The tenant keys file; empty when requests are not checked. */
    public Optional<Path> tenantKeysFile() {
        String file = getString(TENANT_KEYS_FILE);
        return file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
    }

    public int defaultOutputSize() {
        return getInt(DEFAULT_OUTPUT_SIZE);
    }
}
