package io.loopline.mux;

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
import org.apache.kafka.common.config.ConfigDef.ValidString;

/** The mux service's configuration: the shared options and its own. Its Streams application id is {@code worker.group.id}. */
public final class MuxConfig extends LooplineConfig {

    public static final String SERVICE = "mux";

    public static final String ASSEMBLY_THREADS = "mux.assembly.threads";
    private static final String ASSEMBLY_THREADS_DOC =
            "Videos assembled at once (fetch, crossfade, encode, upload), beside the Streams thread; also the size of the"
                    + " pools that fetch segments ahead and measure quality for every open video.";

    public static final String EARLY_ASSEMBLIES = "mux.assembly.early.max";
    private static final String EARLY_ASSEMBLIES_DOC =
            "Requests whose video this instance starts encoding from their first segments, while the rest "
                    + "still renders (each holds an open encoder and a few segments of frames in memory); the others start once their last segment "
                    + "is in. 0: only complete requests.";

    public static final String VIDEO_CRF = "mux.video.crf";
    private static final String VIDEO_CRF_DOC =
            "H.264 constant rate factor of libx264: 0 lossless … 51 worst; 18 looks lossless to most viewers.";

    public static final String VIDEO_PRESET = "mux.video.preset";
    private static final String VIDEO_PRESET_DOC =
            "libx264 preset: slower presets make smaller files at the same quality.";

    public static final String VIDEO_THREADS = "mux.video.threads";
    private static final String VIDEO_THREADS_DOC =
            "libx264 threads per video: 0 lets x264 choose (about 1.5 per core: the quickest video on an "
                    + "idle machine); 1 spends the least CPU per video (about 10% less, the same bytes), for a machine busy with other work.";

    public static final String AUDIO_BITRATE = "mux.audio.bitrate";
    private static final String AUDIO_BITRATE_DOC = "AAC bit rate in bits per second.";

    public static final String URL_TTL_SECONDS = "mux.url.ttl.seconds";
    private static final String URL_TTL_SECONDS_DOC =
            "How long the presigned URL in videos.completed stays valid (S3 allows at most 7 days).";

    public static final String QUALITY_SAMPLE_INTERVAL = "mux.quality.sample.interval";
    private static final String QUALITY_SAMPLE_INTERVAL_DOC =
            "Identity, sharpness and motion metrics are measured on every n-th frame (mouth openness on all).";

    public static final String STREAM_ENABLED = "mux.stream.enabled";
    private static final String STREAM_ENABLED_DOC =
            "Publish each video as an HLS stream (fragmented-MP4 segments of 2 s and a playlist under"
                    + " {tenant}/{request}/mux/stream/) as it is assembled, so it can be watched while the rest renders; a"
                    + " second H.264 encoding beside the MP4's.";

    public static final String STATE_DIR = "mux.state.dir";

    public static final String WORK_DIR = "mux.work.dir";
    private static final String WORK_DIR_DOC =
            "Folder for the videos being encoded (the audio, the MP4 and the stream's files until they are uploaded);"
                    + " empty: the system's temporary folder.";

    public static final String REQUEST_RETENTION_HOURS = "mux.request.retention.hours";
    private static final String REQUEST_RETENTION_HOURS_DOC =
            "How long mux remembers a finished request: a replayed request within this time completes no second time.";

    public static ConfigDef configDef() {
        return LooplineConfig.configDef(SERVICE)
                .define(ASSEMBLY_THREADS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM, ASSEMBLY_THREADS_DOC)
                .define(EARLY_ASSEMBLIES, Type.INT, 4, Range.between(0, 1_000), Importance.LOW, EARLY_ASSEMBLIES_DOC)
                .define(VIDEO_CRF, Type.INT, 18, Range.between(0, 51), Importance.MEDIUM, VIDEO_CRF_DOC)
                .define(
                        VIDEO_PRESET,
                        Type.STRING,
                        "veryfast",
                        ValidString.in(
                                "ultrafast",
                                "superfast",
                                "veryfast",
                                "faster",
                                "fast",
                                "medium",
                                "slow",
                                "slower",
                                "veryslow"),
                        Importance.LOW,
                        VIDEO_PRESET_DOC)
                .define(VIDEO_THREADS, Type.INT, 0, Range.between(0, 64), Importance.LOW, VIDEO_THREADS_DOC)
                .define(
                        AUDIO_BITRATE,
                        Type.INT,
                        128_000,
                        Range.between(32_000, 512_000),
                        Importance.LOW,
                        AUDIO_BITRATE_DOC)
                .define(
                        URL_TTL_SECONDS,
                        Type.LONG,
                        86_400L,
                        Range.between(1, 604_800),
                        Importance.MEDIUM,
                        URL_TTL_SECONDS_DOC)
                .define(
                        QUALITY_SAMPLE_INTERVAL,
                        Type.INT,
                        5,
                        Range.between(1, 1_000),
                        Importance.LOW,
                        QUALITY_SAMPLE_INTERVAL_DOC)
                .define(STREAM_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM, STREAM_ENABLED_DOC)
                .define(STATE_DIR, Type.STRING, "", Importance.MEDIUM, StreamsApplication.STATE_DIR_DOC)
                .define(WORK_DIR, Type.STRING, "", Importance.LOW, WORK_DIR_DOC)
                .define(
                        REQUEST_RETENTION_HOURS,
                        Type.LONG,
                        24L * 30,
                        Range.between(1, 24L * 3650),
                        Importance.LOW,
                        REQUEST_RETENTION_HOURS_DOC);
    }

    public MuxConfig(Map<?, ?> props) {
        super(SERVICE, configDef(), props);
    }

    public static MuxConfig fromEnvironment(Optional<Path> file, Map<String, String> overrides) {
        return new MuxConfig(ConfigSources.resolve(configDef(), System.getenv(), file, overrides));
    }

    public int assemblyThreads() {
        return getInt(ASSEMBLY_THREADS);
    }

    public int earlyAssemblies() {
        return getInt(EARLY_ASSEMBLIES);
    }

    public int videoCrf() {
        return getInt(VIDEO_CRF);
    }

    public String videoPreset() {
        return getString(VIDEO_PRESET);
    }

    public int videoThreads() {
        return getInt(VIDEO_THREADS);
    }

    public int audioBitrate() {
        return getInt(AUDIO_BITRATE);
    }

    public Duration urlTtl() {
        return Duration.ofSeconds(getLong(URL_TTL_SECONDS));
    }

    public int qualitySampleInterval() {
        return getInt(QUALITY_SAMPLE_INTERVAL);
    }

    public boolean streamEnabled() {
        return getBoolean(STREAM_ENABLED);
    }

    /** Where videos are encoded; empty for the system's temporary folder. */
    public Optional<Path> workDir() {
        String dir = getString(WORK_DIR);
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public Path stateDir() {
        return StreamsApplication.stateDir(getString(STATE_DIR), groupId());
    }

    public Duration requestRetention() {
        return Duration.ofHours(getLong(REQUEST_RETENTION_HOURS));
    }
}
