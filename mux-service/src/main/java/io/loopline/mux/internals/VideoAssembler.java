package io.loopline.mux.internals;

import io.loopline.core.concurrent.DaemonThreads;
import io.loopline.core.metrics.StageMetrics;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.BodyGeometry;
import io.loopline.events.HandGeometry;
import io.loopline.events.ObjectRef;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.events.VideoStreaming;
import io.loopline.mux.MuxConfig;
import io.loopline.quality.BodyQuality;
import io.loopline.quality.VideoQuality;
import io.loopline.schemas.EventFields;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Images;
import io.loopline.tensor.Landmarks;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.commons.io.FileUtils;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mux's heavy work for one request, off the Streams thread: fetches the segments in order,
 * cross-fades their overlaps ({@link SegmentBlender}), encodes H.264 (yuv420p, CRF, {@code +faststart})
 * with AAC made from the original upload, interleaved as it goes, measures the quality metrics on
 * the way, uploads the MP4 under its deterministic key and describes it as {@code videos.completed}.
 * Repeating it overwrites the same object, so a retried or resumed assembly is harmless. The
 * scheduling — when to open an {@link Encoding}, which segment goes in next, retries — is
 * {@link Assembly}'s.
 */
public final class VideoAssembler {

    private static final Logger log = LoggerFactory.getLogger(VideoAssembler.class);

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final MuxConfig config;
    private final ObjectStore store;
    private final Clock clock;
    // Beside the threads that blend and encode (x264 adds its own), videos share a pool that fetches and decompresses
    // their next segments and one that measures their quality: one after the other they made mux's tail after the last
    // segment about as long as the encode, the download and the metrics added up. Each is as large as the number of
    // videos assembled at once, however many encodings are open.
    private final ExecutorService fetchers;
    private final ExecutorService measurers;

    public VideoAssembler(MuxConfig config, ObjectStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.fetchers = Executors.newFixedThreadPool(config.assemblyThreads(), DaemonThreads.numbered("mux-fetch"));
        this.measurers = Executors.newFixedThreadPool(config.assemblyThreads(), DaemonThreads.numbered("mux-quality"));
    }

    /** Stops the shared helper threads; open encodings fail or are already closed. */
    public void shutdown() {
        fetchers.shutdownNow();
        measurers.shutdownNow();
    }

    /** The outputs-bucket key of a request's video. */
    public static String videoKey(String tenant, String requestId) {
        return ObjectKeys.derived(tenant, requestId, Stage.MUX, ObjectKeys.VIDEO);
    }

    /**
     * Opens the encoding of a request's video, given any of its segments (they all describe the
     * video): downloads the original audio, reads what the quality metrics compare against and starts
     * the encoder. Segments then go in with {@link Encoding#add}, in index order.
     */
    public Encoding open(SegmentRendered any) throws Exception {
        Encoding encoding = new Encoding(any);
        try {
            // Its frames are fetched and decoded while the encoders open: both stand before the first frame out.
            encoding.prefetch(any);
            encoding.start();
            return encoding;
        } catch (Exception | Error e) {
            encoding.close();
            throw e;
        }
    }

    /**
     * One video being encoded: segments are added in index order as they become available — the
     * encoder stays open in between, so mux can encode while the last segments are still rendering —
     * and {@link #finish} uploads and describes the video. Not thread-safe: one thread at a time.
     */
    public final class Encoding implements AutoCloseable {
        private final SegmentRendered first;
        private final int width;
        private final int height;
        private final int fps;
        private final int total;
        private final Path work;
        private final long opened = System.nanoTime();
        /** Time spent working (not waiting for segments): what the stage's processing timer records. */
        private long busyNanos;

        private FFmpegFrameGrabber grabber;
        private FFmpegFrameRecorder recorder;
        /** The HLS stream beside the MP4 ({@code mux.stream.enabled}); null without one. */
        private StreamWriter stream;

        private FFmpegFrameRecorder streamRecorder;
        private VideoQuality quality;
        /** The half-body figures; null in portrait mode. */
        private BodyQuality bodyQuality;

        private QualityFeed measured;
        private SegmentBlender blender;
        private AudioFeed feed;
        private final Map<Integer, Future<Npy.ByteTensor>> fetches = new HashMap<>();
        private int nextIndex;

        private Encoding(SegmentRendered any) throws IOException {
            this.first = any;
            this.width = any.getWidth();
            this.height = any.getHeight();
            this.fps = any.getFps();
            this.total = any.getTotalFrames();
            this.work = config.workDir().isPresent()
                    ? Files.createTempDirectory(
                            Files.createDirectories(config.workDir().get()), "loopline-mux-")
                    : Files.createTempDirectory("loopline-mux-");
        }

        private void start() throws Exception {
            long t0 = System.nanoTime();
            Path audio = work.resolve("original-audio");
            store.download(first.getOriginalAudio(), audio);
            BufferedImage reference = reference(first, width, height);
            QualityInputs inputs = qualityInputs(first, reference);
            quality = inputs == null ? null : quality(inputs, fps, total);
            bodyQuality = inputs == null ? null : bodyQuality(first, inputs);
            grabber = new FFmpegFrameGrabber(audio.toFile());
            grabber.start();
            int channels = Math.max(1, Math.min(2, grabber.getAudioChannels()));
            recorder = encoder(work.resolve(ObjectKeys.VIDEO), width, height, fps, channels, grabber.getSampleRate());
            recorder.setFormat("mp4");
            recorder.setOption("movflags", "+faststart");
            recorder.start();
            List<FFmpegFrameRecorder> outputs = new ArrayList<>(List.of(recorder));
            if (config.streamEnabled()) {
                stream = new StreamWriter(
                        store, first.getTenant(), first.getRequestId(), work.resolve("stream"), config.urlTtl());
                streamRecorder = encoder(stream.playlist(), width, height, fps, channels, grabber.getSampleRate());
                stream.configure(streamRecorder);
                streamRecorder.start();
                outputs.add(streamRecorder);
            }

            // Stored frames are already the encoder's YUV 4:2:0: they go in as they are, with no colour conversion.
            int frameBytes = FrameCodec.frameBytes(height, width);
            ByteBuffer image = ByteBuffer.allocateDirect(frameBytes);
            feed = new AudioFeed(grabber, outputs);
            measured = quality == null ? null : new QualityFeed(quality, measurers);
            blender = new SegmentBlender(total, frameBytes, (index, i420, offset, segmentStart) -> {
                image.clear();
                image.put(i420, offset, frameBytes).flip();
                for (FFmpegFrameRecorder output : outputs) {
                    image.rewind();
                    output.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, avutil.AV_PIX_FMT_YUV420P, image);
                }
                if (bodyQuality != null) {
                    bodyQuality.accept(index, i420, offset);
                }
                if (measured != null) {
                    measured.accept(index, i420, offset, segmentStart);
                }
                // Interleave: audio up to the end of this frame, so the muxer never buffers a whole track.
                feed.until((index + 1) * 1_000_000L / fps);
                if (stream != null) {
                    stream.publish(); // a stream segment is up as soon as its last frame is encoded
                }
            });
            busyNanos += System.nanoTime() - t0;
        }

        /** The index of the segment {@link #add} expects next. */
        public int nextIndex() {
            return nextIndex;
        }

        /** Starts fetching and decompressing a later segment on the helper thread (at most once per segment). */
        public void prefetch(SegmentRendered segment) {
            fetches.computeIfAbsent(
                    segment.getSegmentIndex(),
                    i -> fetchers.submit(() -> FrameCodec.decode(store.readAllBytes(segment.getFrames()))));
        }

        /** Blends and encodes the next segment (index {@link #nextIndex}). */
        public void add(SegmentRendered segment) throws Exception {
            if (segment.getSegmentIndex() != nextIndex) {
                throw new IllegalArgumentException(
                        "Segment " + segment.getSegmentIndex() + " given where " + nextIndex + " is next");
            }
            long t0 = System.nanoTime();
            prefetch(segment);
            Npy.ByteTensor frames = result(fetches.remove(nextIndex));
            int[] shape = frames.shape();
            if (shape.length != 3 || shape[1] != height * 3 / 2 || shape[2] != width) {
                throw new IllegalStateException("Segment " + segment.getSegmentIndex() + " of " + segment.getRequestId()
                        + " has frames of shape " + Arrays.toString(shape));
            }
            Integer nextStart = segment.getNextFrameStart();
            blender.add(
                    segment.getFrameStart(),
                    shape[0],
                    frames.data(),
                    nextStart != null ? nextStart : segment.getFrameStart());
            nextIndex++;
            busyNanos += System.nanoTime() - t0;
        }

        /** That the stream can be watched — its presigned playlist — once its first segment is up; empty before or without one. */
        public Optional<VideoStreaming> streaming() {
            if (stream == null) {
                return Optional.empty();
            }
            return stream.presignedPlaylist()
                    .map(url -> EventFields.copyEnvelope(first, VideoStreaming.newBuilder())
                            .setPlaylistKey(stream.playlistKey())
                            .setPresignedUrl(url.toString())
                            .setUrlExpiresAt(clock.instant().plus(config.urlTtl()))
                            .build());
        }

        /** Closes the stream with what is already up, when the video cannot be finished (best effort). */
        public void endStream() {
            if (stream != null) {
                try {
                    stream.end();
                } catch (RuntimeException e) {
                    log.warn("Closing the stream of {}: {}", first.getRequestId(), e.toString());
                }
            }
        }

        /** After the last segment: ends the encoding, uploads the MP4 and describes it. */
        public VideoCompleted finish() throws Exception {
            long t0 = System.nanoTime();
            blender.finish();
            feed.until(Long.MAX_VALUE);
            recorder.stop();
            if (stream != null) {
                streamRecorder.stop();
                stream.publish();
            }
            if (measured != null) {
                measured.finish();
            }
            ObjectRef ref = store.put(
                    store.outputsBucket(),
                    videoKey(first.getTenant(), first.getRequestId()),
                    work.resolve(ObjectKeys.VIDEO),
                    "video/mp4");
            Instant expires = clock.instant().plus(config.urlTtl());
            VideoQuality.Figures figures = quality != null
                    ? quality.figures()
                    : new VideoQuality.Figures(
                            Map.of(),
                            Map.of(
                                    "quality",
                                    "its segments were written before segments.rendered carried the reference, "
                                            + "landmarks and audio to measure against"));
            VideoCompleted completed = EventFields.copyEnvelope(first, VideoCompleted.newBuilder())
                    .setVideo(ref)
                    .setPresignedUrl(store.presignGet(ref, config.urlTtl()).toString())
                    .setUrlExpiresAt(expires)
                    .setDurationMs(Math.round(total * 1000.0 / fps))
                    .setFrameCount(total)
                    .setFps(fps)
                    .setWidth(width)
                    .setHeight(height)
                    .setQuality(qualityMap(figures, bodyQuality))
                    .build();
            busyNanos += System.nanoTime() - t0;
            StageMetrics.processing(Stage.MUX, "ok").record(busyNanos, TimeUnit.NANOSECONDS);
            log.info(
                    "Muxed {}: {} frames at {}×{}, {} fps, {} bytes; {} ms of work over {} ms since the encoder opened; quality {}{}",
                    first.getRequestId(),
                    total,
                    width,
                    height,
                    fps,
                    ref.getSize(),
                    busyNanos / 1_000_000,
                    (System.nanoTime() - opened) / 1_000_000,
                    completed.getQuality(),
                    figures.unmeasured().isEmpty() ? "" : "; not measured: " + figures.unmeasured());
            return completed;
        }

        /** Releases the encoder, the helpers and the local files, finished or not. */
        @Override
        public void close() {
            fetches.values().forEach(f -> f.cancel(true));
            fetches.clear();
            if (measured != null) {
                measured.close();
            }
            closeQuietly(recorder, "encoder");
            closeQuietly(streamRecorder, "stream encoder");
            closeQuietly(grabber, "audio decoder");
            FileUtils.deleteQuietly(work.toFile());
        }

        /** Closes {@code what} if it was opened: a failure to close only loses what is being thrown away. */
        private void closeQuietly(AutoCloseable closeable, String what) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                log.debug("Closing the {} of {}: {}", what, first.getRequestId(), e.toString());
            }
        }
    }

    /**
     * The reference image the segments reference (its digest checked, like every object mux reads), decoded once for
     * every figure; null for segments written before they carried it.
     */
    private BufferedImage reference(SegmentRendered first, int width, int height)
            throws IOException, ObjectNotFoundException {
        if (first.getReference() == null) {
            return null;
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(store.readAllBytes(first.getReference())));
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalStateException("The stored reference image of " + first.getRequestId()
                    + " does not match its " + width + "×" + height + " frames");
        }
        return image;
    }

    /**
     * What the figures are measured against — the reference image (RGB in [-1, 1]), its landmarks and the
     * normalized audio — each read and decoded once, through the references the segment carries.
     */
    private record QualityInputs(int width, int height, float[] reference, float[] landmarks, float[] audio16k) {}

    /** The {@link QualityInputs}; null for segments written before they carried them, whose videos go without figures. */
    private QualityInputs qualityInputs(SegmentRendered first, BufferedImage reference)
            throws IOException, ObjectNotFoundException {
        if (reference == null || first.getLandmarks() == null || first.getAudio() == null) {
            return null;
        }
        return new QualityInputs(
                reference.getWidth(),
                reference.getHeight(),
                Images.toRgbMinusOneToOne(reference),
                Npy.read(new ByteArrayInputStream(store.readAllBytes(first.getLandmarks())))
                        .data(),
                Npy.read(new ByteArrayInputStream(store.readAllBytes(first.getAudio())))
                        .data());
    }

    private VideoQuality quality(QualityInputs in, int fps, int total) {
        return new VideoQuality(
                in.width(),
                in.height(),
                fps,
                total,
                in.reference(),
                in.landmarks(),
                in.audio16k(),
                config.qualitySampleInterval());
    }

    /**
     * The half-body figures' measure: the reference's luminance, the person mask, the hands' boxes and the face's,
     * read through the references the segment's body carries; null without a body (portrait mode, or segments
     * written before they carried it).
     */
    private BodyQuality bodyQuality(SegmentRendered first, QualityInputs in)
            throws IOException, ObjectNotFoundException {
        BodyGeometry body = first.getBody();
        if (body == null) {
            return null;
        }
        int width = in.width();
        int height = in.height();
        byte[] mask;
        try {
            mask = Images.grayPixels(store.readAllBytes(body.getPersonMask()), width, height);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "The stored person mask of " + first.getRequestId() + " is " + e.getMessage(), e);
        }
        byte[] referenceLuma = Arrays.copyOf(FrameCodec.toI420(in.reference(), 1, height, width), width * height);
        List<int[]> hands = new ArrayList<>();
        for (HandGeometry hand : body.getHands()) {
            hands.add(new int[] {
                (int) Math.floor(hand.getBoxX()),
                (int) Math.floor(hand.getBoxY()),
                (int) Math.ceil(hand.getBoxX() + hand.getBoxWidth()),
                (int) Math.ceil(hand.getBoxY() + hand.getBoxHeight())
            });
        }
        float[] face = Landmarks.bounds(in.landmarks());
        return new BodyQuality(
                width,
                height,
                referenceLuma,
                mask,
                hands,
                new int[] {(int) face[0], (int) face[1], (int) Math.ceil(face[2]), (int) Math.ceil(face[3])},
                in.audio16k(),
                first.getFps(),
                first.getTotalFrames(),
                config.qualitySampleInterval());
    }

    /** The face's figures and, in half-body mode, the body's, by name. */
    private static Map<String, Double> qualityMap(VideoQuality.Figures face, BodyQuality body) {
        Map<String, Double> all = new LinkedHashMap<>(face.measured());
        if (body != null) {
            VideoQuality.Figures figures = body.figures();
            all.putAll(figures.measured());
            figures.unmeasured().forEach((name, why) -> log.info("No {} for this video: {}", name, why));
        }
        return all;
    }

    /** The MP4's keyframe interval, in seconds. */
    private static final int KEYFRAME_SECONDS = 2;

    /**
     * An H.264 + AAC encoder of this video's frames into {@code file}, as every output of it is encoded: libx264
     * (the GPL FFmpeg build we ship), yuv420p, CRF and preset, a keyframe every 2 s; the caller picks the format.
     */
    private FFmpegFrameRecorder encoder(Path file, int width, int height, int fps, int channels, int sampleRate) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, channels);
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setGopSize(fps * KEYFRAME_SECONDS);
        r.setVideoOption("crf", Integer.toString(config.videoCrf()));
        r.setVideoOption("preset", config.videoPreset());
        r.setVideoOption("threads", Integer.toString(config.videoThreads()));
        r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
        r.setSampleRate(sampleRate);
        r.setAudioBitrate(config.audioBitrate());
        return r;
    }

    /** Segments fetched ahead of the one being encoded (each 12.6 MB of I420 frames at 512², 32 frames). */
    public static final int PREFETCH_SEGMENTS = 1;

    /** A helper's result, its failure rethrown as it was. */
    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Quality measured on the shared measuring threads, in frame order (each frame's task runs after
     * the previous one's): the assembly thread only crops each frame into one of a few recycled buffers,
     * waiting for one when the measuring falls behind.
     */
    private static final class QualityFeed {
        private static final int BUFFERS = 8;
        private final VideoQuality quality;
        private final ExecutorService measurer;
        private final BlockingQueue<float[]> free = new ArrayBlockingQueue<>(BUFFERS);
        private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        private volatile boolean closed;
        /** The first measuring failure: the assembly fails with it (and is retried or reported like any other). */
        private volatile Throwable failure;

        QualityFeed(VideoQuality quality, ExecutorService measurer) {
            this.quality = quality;
            this.measurer = measurer;
            for (int i = 0; i < BUFFERS; i++) {
                free.add(quality.newCropBuffer());
            }
        }

        void accept(int index, byte[] i420, int offset, boolean segmentStart) throws Exception {
            rethrowFailure();
            float[] crop = free.take();
            quality.crop(i420, offset, crop);
            last = last.thenRunAsync(
                    () -> {
                        try {
                            if (failure == null && !closed) {
                                quality.measure(index, crop, segmentStart);
                            }
                        } catch (RuntimeException | Error e) {
                            failure = e;
                        } finally {
                            free.add(crop);
                        }
                    },
                    measurer);
        }

        /** Lets the frames still queued go unmeasured. */
        void close() {
            closed = true;
        }

        void finish() throws Exception {
            result(last);
            rethrowFailure();
        }

        private void rethrowFailure() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** The original audio, decoded and passed to the encoders a stretch at a time. */
    private static final class AudioFeed {
        private final FFmpegFrameGrabber grabber;
        private final List<FFmpegFrameRecorder> recorders;
        private boolean done;

        AudioFeed(FFmpegFrameGrabber grabber, List<FFmpegFrameRecorder> recorders) {
            this.grabber = grabber;
            this.recorders = recorders;
        }

        void until(long micros) throws Exception {
            while (!done && grabber.getTimestamp() < micros) {
                Frame samples = grabber.grabSamples();
                if (samples == null) {
                    done = true;
                } else {
                    for (FFmpegFrameRecorder recorder : recorders) {
                        recorder.record(samples);
                    }
                }
            }
        }
    }
}
