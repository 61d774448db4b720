package io.loopline.mux.internals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.loopline.core.io.WorkDirs;
import io.loopline.core.metrics.StageMetrics;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.tensor.FrameCodec;
import io.loopline.core.tensor.Npy;
import io.loopline.events.ObjectRef;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.model.Images;
import io.loopline.model.quality.VideoQuality;
import io.loopline.mux.MuxConfig;

/**
 * Mux's heavy work for one request, off the Streams thread: fetches the segments in order,
 * cross-fades their overlaps ({@link SegmentBlender}), encodes H.264 (yuv420p, CRF, {@code +faststart})
 * with AAC made from the original upload, interleaved as it goes, measures the quality metrics on
 * the way, uploads the MP4 under its deterministic key and describes it as {@code videos.completed}.
 * Repeating it overwrites the same object, so a retried or resumed assembly is harmless.
 */
public final class VideoAssembler {

    private static final Logger log = LoggerFactory.getLogger(VideoAssembler.class);

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final MuxConfig config;
    private final ObjectStore store;
    private final Clock clock;

    public VideoAssembler(MuxConfig config, ObjectStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    /** The outputs-bucket key of a request's video. */
    public static String videoKey(String tenant, String requestId) {
        return ObjectKeys.derived(tenant, requestId, Stage.MUX, ObjectKeys.VIDEO);
    }

    /** Assembles, uploads and describes the video of one request's complete set of segments. */
    public VideoCompleted assemble(List<SegmentRendered> segments) throws Exception {
        List<SegmentRendered> ordered = segments.stream().sorted(Comparator.comparingInt(SegmentRendered::getSegmentIndex)).toList();
        SegmentRendered first = ordered.get(0);
        int width = first.getWidth();
        int height = first.getHeight();
        int fps = first.getFps();
        int total = first.getTotalFrames();
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("loopline-mux-");
        try {
            Path audio = work.resolve("original-audio");
            store.download(first.getOriginalAudio(), audio);
            VideoQuality quality = quality(first, width, height, fps, total);
            Path video = work.resolve(ObjectKeys.VIDEO);
            encode(ordered, audio, video, quality, width, height, fps, total);
            ObjectRef ref = store.put(store.outputsBucket(), videoKey(first.getTenant(), first.getRequestId()), video, "video/mp4");
            Instant expires = clock.instant().plus(config.urlTtl());
            VideoCompleted completed = VideoCompleted.newBuilder()
                .setRequestId(first.getRequestId()).setTenant(first.getTenant()).setRequestedAt(first.getRequestedAt())
                .setVideo(ref).setPresignedUrl(store.presignGet(ref, config.urlTtl()).toString()).setUrlExpiresAt(expires)
                .setDurationMs(Math.round(total * 1000.0 / fps)).setFrameCount(total).setFps(fps).setWidth(width).setHeight(height)
                .setQuality(new java.util.LinkedHashMap<>(quality.result()))
                .build();
            StageMetrics.processing(Stage.MUX, "ok").record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            log.info("Muxed {}: {} frames at {}×{}, {} fps, {} bytes in {} ms; quality {}", first.getRequestId(), total, width, height, fps,
                ref.getSize(), (System.nanoTime() - started) / 1_000_000, completed.getQuality());
            return completed;
        } finally {
            WorkDirs.deleteRecursively(work);
        }
    }

    private VideoQuality quality(SegmentRendered first, int width, int height, int fps, int total) throws IOException, ObjectNotFoundException {
        String tenant = first.getTenant();
        String request = first.getRequestId();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(readIngestOutput(tenant, request, ObjectKeys.REFERENCE_IMAGE)));
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalStateException("The stored reference image of " + request + " does not match its " + width + "×" + height + " frames");
        }
        float[] landmarks = Npy.read(new ByteArrayInputStream(readIngestOutput(tenant, request, ObjectKeys.LANDMARKS))).data();
        float[] audio16k = Npy.read(new ByteArrayInputStream(readIngestOutput(tenant, request, ObjectKeys.NORMALIZED_AUDIO))).data();
        return new VideoQuality(width, height, fps, total, Images.toRgbMinusOneToOne(image), landmarks, audio16k, config.qualitySampleInterval());
    }

    private byte[] readIngestOutput(String tenant, String request, String name) throws IOException, ObjectNotFoundException {
        try (InputStream in = store.openUnverified(store.workBucket(), ObjectKeys.derived(tenant, request, Stage.INGEST, name))) {
            return in.readAllBytes();
        }
    }

    private void encode(List<SegmentRendered> ordered, Path audio, Path video, VideoQuality quality, int width, int height, int fps, int total)
            throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(audio.toFile())) {
            grabber.start();
            int channels = Math.max(1, Math.min(2, grabber.getAudioChannels()));
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(video.toFile(), width, height, channels)) {
                recorder.setFormat("mp4");
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264); // libx264 when FFmpeg has it (the GPL build we ship)
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(fps);
                recorder.setGopSize(fps * 2);
                recorder.setVideoOption("crf", Integer.toString(config.videoCrf()));
                recorder.setVideoOption("preset", config.videoPreset());
                recorder.setOption("movflags", "+faststart");
                recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                recorder.setSampleRate(grabber.getSampleRate());
                recorder.setAudioBitrate(config.audioBitrate());
                recorder.start();

                Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
                AudioFeed feed = new AudioFeed(grabber, recorder);
                // Three threads side by side: this one blends and encodes (x264 adds its own), one fetches and
                // decompresses the next segments, one measures quality. One after the other they made mux's tail
                // after the last segment about as long as the encode, the download and the metrics added up.
                ExecutorService fetcher = helper("mux-assembly-fetch");
                ExecutorService measurer = helper("mux-assembly-quality");
                try {
                    QualityFeed measured = new QualityFeed(quality, measurer);
                    SegmentBlender blender = new SegmentBlender(total, width * height * 3, (index, rgb, offset, segmentStart) -> {
                        copyInto(frame, rgb, offset, width, height);
                        recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
                        measured.accept(index, rgb, offset, segmentStart);
                        // Interleave: audio up to the end of this frame, so the muxer never buffers a whole track.
                        feed.until((index + 1) * 1_000_000L / fps);
                    });
                    java.util.ArrayDeque<Future<Npy.ByteTensor>> fetched = new java.util.ArrayDeque<>();
                    int requested = 0;
                    for (int i = 0; i < ordered.size(); i++) {
                        while (requested < ordered.size() && requested <= i + PREFETCH_SEGMENTS) {
                            SegmentRendered ahead = ordered.get(requested++);
                            fetched.add(fetcher.submit(() -> FrameCodec.decode(store.readAllBytes(ahead.getFrames()))));
                        }
                        SegmentRendered segment = ordered.get(i);
                        if (Thread.currentThread().isInterrupted()) {
                            throw new InterruptedException("Assembly of " + segment.getRequestId() + " interrupted");
                        }
                        Npy.ByteTensor frames = result(fetched.poll());
                        int[] shape = frames.shape();
                        if (shape.length != 4 || shape[1] != height || shape[2] != width || shape[3] != 3) {
                            throw new IllegalStateException("Segment " + segment.getSegmentIndex() + " of " + segment.getRequestId()
                                + " has frames of shape " + java.util.Arrays.toString(shape));
                        }
                        blender.add(segment.getFrameStart(), shape[0], frames.data());
                    }
                    blender.finish();
                    feed.until(Long.MAX_VALUE);
                    recorder.stop();
                    measured.finish();
                } finally {
                    fetcher.shutdownNow();
                    measurer.shutdownNow();
                }
            }
        }
    }

    /** Segments fetched ahead of the one being encoded (each ≈ 19 MB of frames at 512², 24 frames). */
    private static final int PREFETCH_SEGMENTS = 1;

    /** One daemon thread working for this assembly. */
    private static ExecutorService helper(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** A helper's result, its failure rethrown as it was. */
    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Quality measured on its own thread, in frame order (one thread, tasks run as submitted): the
     * assembly thread only crops each frame into one of a few recycled buffers, waiting for one when
     * the measuring falls behind.
     */
    private static final class QualityFeed {
        private static final int BUFFERS = 8;
        private final VideoQuality quality;
        private final ExecutorService measurer;
        private final java.util.concurrent.BlockingQueue<float[]> free = new java.util.concurrent.ArrayBlockingQueue<>(BUFFERS);
        private Future<?> last = java.util.concurrent.CompletableFuture.completedFuture(null);
        /** The first measuring failure: the assembly fails with it (and is retried or reported like any other). */
        private volatile Throwable failure;

        QualityFeed(VideoQuality quality, ExecutorService measurer) {
            this.quality = quality;
            this.measurer = measurer;
            for (int i = 0; i < BUFFERS; i++) {
                free.add(quality.newCropBuffer());
            }
        }

        void accept(int index, byte[] rgb, int offset, boolean segmentStart) throws Exception {
            rethrowFailure();
            float[] crop = free.take();
            quality.crop(rgb, offset, crop);
            last = measurer.submit(() -> {
                try {
                    if (failure == null) {
                        quality.measure(index, crop, segmentStart);
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                } finally {
                    free.add(crop);
                }
            });
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

    private static void copyInto(Frame frame, byte[] rgb, int offset, int width, int height) {
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        int row = width * 3;
        for (int y = 0; y < height; y++) {
            buffer.position(y * frame.imageStride);
            buffer.put(rgb, offset + y * row, row);
        }
        buffer.rewind();
    }

    /** The original audio, decoded and passed to the encoder a stretch at a time. */
    private static final class AudioFeed {
        private final FFmpegFrameGrabber grabber;
        private final FFmpegFrameRecorder recorder;
        private boolean done;

        AudioFeed(FFmpegFrameGrabber grabber, FFmpegFrameRecorder recorder) {
            this.grabber = grabber;
            this.recorder = recorder;
        }

        void until(long micros) throws Exception {
            while (!done && grabber.getTimestamp() < micros) {
                Frame samples = grabber.grabSamples();
                if (samples == null) {
                    done = true;
                } else {
                    recorder.record(samples);
                }
            }
        }
    }

}
