package io.loopline.mux.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.stream.HlsStreams;
import io.loopline.embedded.EmbeddedS3;
import io.loopline.events.ObjectRef;
import io.loopline.events.SegmentRendered;
import io.loopline.mux.MuxConfig;
import io.loopline.tensor.FrameCodec;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HLS stream mux publishes while it assembles a video, against a real S3 server: read mid-way it
 * plays what is there, it ends with the video, a failure closes it with what is valid, and assembling
 * the same segments again writes the same bytes.
 */
class VideoStreamIT {

    private static final int SIZE = 64;
    private static final int CLIP = 32;
    private static final int SEGMENTS = 3;
    private static final int FPS = 25;

    @TempDir
    static Path dir;

    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static MuxConfig config;
    private static ObjectRef audio;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.inMemory().start();
        Map<String, String> settings = new HashMap<>();
        settings.put(LooplineConfig.S3_ENDPOINT, s3.endpoint());
        settings.put(LooplineConfig.S3_REGION, s3.region());
        settings.put(LooplineConfig.S3_ACCESS_KEY, s3.accessKey());
        settings.put(LooplineConfig.S3_SECRET_KEY, s3.secretKey());
        settings.put(MuxConfig.VIDEO_THREADS, "1");
        config = new MuxConfig(settings);
        store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        audio = store.put(
                store.inputsBucket(), "acme/uploads/tone.wav", tone(SEGMENTS * CLIP * 1000 / FPS), "audio/wav");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    /** A 16-bit mono 16 kHz WAV of a 440 Hz tone, {@code millis} long. */
    private static byte[] tone(int millis) {
        int samples = 16 * millis;
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples);
        wav.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1);
        wav.putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0)));
        }
        return wav.array();
    }

    /** The request's segments: a bright square that swings across a grey field, stored as render stores frames. */
    private static List<SegmentRendered> segments(String requestId) {
        float[][] all = new float[SEGMENTS][];
        for (int k = 0; k < SEGMENTS; k++) {
            float[] frames = new float[3 * CLIP * SIZE * SIZE];
            for (int f = 0; f < CLIP; f++) {
                int at = (int) Math.round((SIZE - 16) * (0.5 + 0.5 * Math.sin((k * CLIP + f) / 10.0)));
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < SIZE; y++) {
                        for (int x = 0; x < SIZE; x++) {
                            boolean square = x >= at && x < at + 16 && y >= 24 && y < 40;
                            frames[((c * CLIP + f) * SIZE + y) * SIZE + x] = square ? 0.8f : (c - 1) * 0.3f;
                        }
                    }
                }
            }
            all[k] = frames;
        }
        return IntStream.range(0, SEGMENTS)
                .mapToObj(k -> SegmentRendered.newBuilder()
                        .setRequestId(requestId)
                        .setTenant("acme")
                        .setRequestedAt(Instant.ofEpochMilli(1))
                        .setSegmentIndex(k)
                        .setSegmentCount(SEGMENTS)
                        .setFrameStart(k * CLIP)
                        .setFrameCount(CLIP)
                        .setOverlapFrames(0)
                        .setTotalFrames(SEGMENTS * CLIP)
                        .setFps(FPS)
                        .setWidth(SIZE)
                        .setHeight(SIZE)
                        .setFrames(store.put(
                                store.workBucket(),
                                "acme/" + requestId + "/render/segment-" + k,
                                FrameCodec.encode(all[k], CLIP, SIZE, SIZE, 1),
                                FrameCodec.CONTENT_TYPE))
                        .setOriginalAudio(audio)
                        .setAudioDurationMs(SEGMENTS * CLIP * 1000L / FPS)
                        .setRenderMillis(0)
                        .build())
                .toList();
    }

    /** GET over plain HTTP, as a player does: the body as ISO-8859-1 text (bytes kept). */
    private static String http(String url) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return new String(response.body(), StandardCharsets.ISO_8859_1);
    }

    private static String read(String requestId, String name) throws Exception {
        return new String(bytes(requestId, name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String requestId, String name) throws Exception {
        try (InputStream in = store.openUnverified(store.outputsBucket(), HlsStreams.key("acme", requestId, name))) {
            return in.readAllBytes();
        }
    }

    /** The stream as it is up now — the playlist and the files it names, copied — and its video frames counted. */
    private static int framesPlayable(String requestId, Path into) throws Exception {
        String playlist = read(requestId, HlsStreams.PLAYLIST);
        Files.createDirectories(into);
        for (String name : HlsStreams.namedFiles(playlist)) {
            Files.write(into.resolve(name), bytes(requestId, name));
        }
        // Ended here: FFmpeg's reader would otherwise wait for the live playlist to grow.
        Files.writeString(into.resolve(HlsStreams.PLAYLIST), HlsStreams.ended(playlist));
        int frames = 0;
        try (FFmpegFrameGrabber grabber =
                new FFmpegFrameGrabber(into.resolve(HlsStreams.PLAYLIST).toFile())) {
            grabber.start();
            for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                frames++;
            }
        }
        return frames;
    }

    @Test
    void playsWhileItIsAssembledAndEndsWithTheVideo() throws Exception {
        VideoAssembler assembler = new VideoAssembler(config, store, Clock.systemUTC());
        List<SegmentRendered> segments = segments("s1");
        try (VideoAssembler.Encoding encoding = assembler.open(segments.get(0))) {
            encoding.add(segments.get(0));
            encoding.add(segments.get(1));
            encoding.add(segments.get(2));
            // Announced with a playlist any player can follow: its files are presigned URLs that fetch them.
            var streaming = encoding.streaming().orElseThrow();
            assertThat(streaming.getPlaylistKey()).isEqualTo(HlsStreams.key("acme", "s1", HlsStreams.PLAYLIST));
            String signed = http(streaming.getPresignedUrl());
            assertThat(HlsStreams.namedFiles(signed)).allMatch(u -> u.startsWith(s3.endpoint()));
            assertThat(http(HlsStreams.namedFiles(signed).get(1)))
                    .isEqualTo(new String(bytes("s1", "seg00000.m4s"), StandardCharsets.ISO_8859_1));
            // Mid-way (the encoder holds a few frames back): what is up plays.
            String midway = read("s1", HlsStreams.PLAYLIST);
            assertThat(HlsStreams.isEnded(midway)).isFalse();
            List<String> named = HlsStreams.namedFiles(midway);
            assertThat(named.get(0)).isEqualTo("init.mp4");
            assertThat(named).hasSizeGreaterThanOrEqualTo(2);
            assertThat(framesPlayable("s1", dir.resolve("midway")))
                    .as("whole segments, playable")
                    .isEqualTo((named.size() - 1) * StreamWriter.SEGMENT_SECONDS * FPS);

            var completed = encoding.finish();
            String last = read("s1", HlsStreams.PLAYLIST);
            assertThat(HlsStreams.isEnded(last)).isTrue();
            assertThat(framesPlayable("s1", dir.resolve("end")))
                    .as("the stream, as long as the video")
                    .isEqualTo(completed.getFrameCount())
                    .isEqualTo(SEGMENTS * CLIP);
        } finally {
            assembler.shutdown();
        }
    }

    @Test
    void aFailedVideoClosesItsStreamWithWhatIsValidAndAReplayWritesTheSameBytes() throws Exception {
        VideoAssembler assembler = new VideoAssembler(config, store, Clock.systemUTC());
        List<SegmentRendered> segments = segments("s2");
        try {
            try (VideoAssembler.Encoding encoding = assembler.open(segments.get(0))) {
                encoding.add(segments.get(0));
                encoding.add(segments.get(1));
                encoding.add(segments.get(2));
                encoding.endStream(); // what mux does when the request fails before the end
            }
            String closed = read("s2", HlsStreams.PLAYLIST);
            assertThat(HlsStreams.isEnded(closed)).isTrue();
            assertThat(framesPlayable("s2", dir.resolve("failed")))
                    .isEqualTo((HlsStreams.namedFiles(closed).size() - 1) * StreamWriter.SEGMENT_SECONDS * FPS)
                    .isPositive();
            byte[] first = bytes("s2", "seg00000.m4s");
            byte[] init = bytes("s2", "init.mp4");

            try (VideoAssembler.Encoding again = assembler.open(segments.get(0))) {
                for (SegmentRendered s : segments) {
                    again.add(s);
                }
                again.finish();
            }
            assertThat(bytes("s2", "seg00000.m4s")).isEqualTo(first);
            assertThat(bytes("s2", "init.mp4")).isEqualTo(init);
        } finally {
            assembler.shutdown();
        }
    }
}
