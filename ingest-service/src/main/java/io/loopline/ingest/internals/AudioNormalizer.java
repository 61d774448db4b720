package io.loopline.ingest.internals;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.events.Warning;
import io.loopline.tensor.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes any audio FFmpeg reads (WAV, MP3, AAC/M4A, OGG Vorbis/Opus, FLAC, the audio track of a
 * video…) at any rate and channel count into 16 kHz mono float32, clamped to [-1, 1], streamed into
 * a {@code .npy} file. Durations are measured from the decoded samples, never taken from headers.
 */
public final class AudioNormalizer {

    public static final int SAMPLE_RATE = 16_000;

    /** Below this peak the audio is digital silence (about three 16-bit steps). */
    static final float SILENCE_PEAK = 1e-4f;
    /** Samples this close to full scale count as clipped. */
    static final float CLIP_LEVEL = 0.999f;
    /** A warning is given when more than this fraction of samples is clipped. */
    static final double CLIPPED_WARNING_FRACTION = 0.005;
    /** A warning is given below this RMS level (-40 dBFS). */
    static final double QUIET_WARNING_RMS = 0.01;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    /** Limits, in milliseconds of decoded audio. */
    public record Limits(long minDurationMs, long maxDurationMs) {}

    /** What was decoded. */
    public record NormalizedAudio(
            long samples, float peak, double rms, double clippedFraction, List<Warning> warnings) {
        public long durationMs() {
            return samples * 1000 / SAMPLE_RATE;
        }
    }

    private AudioNormalizer() {}

    public static NormalizedAudio normalize(Path input, Path outputNpy, Limits limits) throws RequestRejectedException {
        long maxSamples = limits.maxDurationMs() * SAMPLE_RATE / 1000;
        long samples = 0;
        long clipped = 0;
        long nonFinite = 0;
        double sumSquares = 0;
        float peak = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input.toFile());
                Npy.FloatStreamWriter out = Npy.streamFloats(outputNpy)) {
            grabber.setSampleRate(SAMPLE_RATE);
            grabber.setAudioChannels(1);
            grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                throw undecodable(
                        "The audio file could not be read; it is not a supported audio format or it is corrupt.");
            }
            if (!grabber.hasAudio()) {
                throw undecodable("The file has no audio track.");
            }
            Frame frame;
            while ((frame = grabSamples(grabber)) != null) {
                if (frame.samples == null) {
                    continue;
                }
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                while (buffer.hasRemaining()) {
                    float v = buffer.get();
                    if (!Float.isFinite(v)) {
                        nonFinite++;
                        v = 0;
                    }
                    float clamped = Math.max(-1f, Math.min(1f, v));
                    float magnitude = Math.abs(clamped);
                    peak = Math.max(peak, magnitude);
                    if (magnitude >= CLIP_LEVEL) {
                        clipped++;
                    }
                    sumSquares += (double) clamped * clamped;
                    out.write(clamped);
                    samples++;
                }
                if (samples > maxSamples) {
                    throw new RequestRejectedException(
                            ErrorCode.AUDIO_TOO_LONG,
                            "The audio is longer than the limit of " + formatDuration(limits.maxDurationMs())
                                    + "; shorten it or split it into several requests.");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the normalized audio", e);
        }
        if (nonFinite > 0) {
            throw undecodable("The audio contains " + nonFinite
                    + " invalid samples (not a number or infinite); the file is corrupt.");
        }
        long durationMs = samples * 1000 / SAMPLE_RATE;
        if (durationMs < limits.minDurationMs()) {
            throw new RequestRejectedException(
                    ErrorCode.AUDIO_TOO_SHORT,
                    "The audio lasts " + formatDuration(durationMs) + ", shorter than the minimum of "
                            + formatDuration(limits.minDurationMs()) + ".");
        }
        if (peak < SILENCE_PEAK) {
            throw new RequestRejectedException(
                    ErrorCode.AUDIO_SILENT, "The audio is silent; there is nothing to animate to.");
        }
        double rms = Math.sqrt(sumSquares / samples);
        double clippedFraction = clipped / (double) samples;
        List<Warning> warnings = new ArrayList<>();
        if (clippedFraction > CLIPPED_WARNING_FRACTION) {
            warnings.add(new Warning(
                    "AUDIO_CLIPPED",
                    String.format(
                            Locale.ROOT,
                            "%.1f%% of the audio is clipped (distorted at full volume); lip motion may be less precise.",
                            clippedFraction * 100)));
        }
        if (rms < QUIET_WARNING_RMS) {
            warnings.add(new Warning(
                    "AUDIO_QUIET",
                    String.format(
                            Locale.ROOT,
                            "The audio is very quiet (%.0f dBFS average); speech may be hard to follow for lip motion.",
                            20 * Math.log10(Math.max(rms, 1e-9)))));
        }
        return new NormalizedAudio(samples, peak, rms, clippedFraction, warnings);
    }

    private static Frame grabSamples(FFmpegFrameGrabber grabber) throws RequestRejectedException {
        try {
            return grabber.grabSamples();
        } catch (FrameGrabber.Exception e) {
            throw undecodable("The audio stream is corrupt and could not be decoded to the end.");
        }
    }

    static String formatDuration(long ms) {
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long seconds = ms / 1000;
        return seconds % 60 == 0
                ? (seconds / 60) + " min"
                : String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60);
    }

    private static RequestRejectedException undecodable(String message) {
        return new RequestRejectedException(ErrorCode.AUDIO_UNDECODABLE, message);
    }
}
