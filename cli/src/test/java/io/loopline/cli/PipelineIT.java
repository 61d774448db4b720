package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.cli.internals.GroupReplay;
import io.loopline.cli.internals.StreamFollower;
import io.loopline.client.RequestEvents;
import io.loopline.client.Submission;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.DeadLetterHeaders;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.stream.HlsStreams;
import io.loopline.core.testing.TestClusters;
import io.loopline.events.GenerationOptions;
import io.loopline.events.RequestState;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in-process — real KRaft broker, real S3 server, the four services — for several
 * requests at once: every request becomes one playable MP4 and one completion; the same seed gives
 * the same frames; replaying the requests topic to ingest reprocesses everything and completes
 * nothing twice; a replay is refused while the group has live members.
 */
class PipelineIT {

    private static final Path MEDIA = Path.of("..", "ingest-service", "src", "test", "resources", "media", "good");
    private static final Path IMAGE = MEDIA.resolve("photo-grace-hopper.jpg");
    private static final Path AUDIO = MEDIA.resolve("speech.wav");
    /** A half body with a hand in view: the default mode (auto) animates it as one. */
    private static final Path HALF_BODY = MEDIA.resolve("half-body-photo-hands-clasped.jpg");

    @TempDir
    static Path state;

    private static EmbeddedPipeline pipeline;
    private static LooplineConfig client;

    @BeforeAll
    static void start() {
        // Small frames keep the test quick; everything else is as in production.
        pipeline =
                EmbeddedPipeline.start(state, Map.of("retry.backoff.initial.ms", "50", "retry.backoff.max.ms", "200"));
        client = pipeline.clientConfig();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static GenerationOptions options(long seed) {
        return GenerationOptions.newBuilder()
                .setSeed(seed)
                .setOutputSize(128)
                .setFps(25)
                .build();
    }

    private static VideoCompleted await(String requestId) {
        try (RequestEvents events = new RequestEvents(client, requestId)) {
            RequestEvents.Snapshot s =
                    events.untilFinished(Duration.ofMillis(200), Duration.ofMinutes(4), snapshot -> {});
            assertThat(s.failed()).as("failure of %s", requestId).isEmpty();
            assertThat(s.completed()).as("completion of %s", requestId).isPresent();
            return s.completed().get();
        }
    }

    @Test
    void concurrentRequestsBecomeVideosOnceEvenWhenReplayed() throws Exception {
        Submission.submit(client, "acme", "same-a", IMAGE, AUDIO, options(7));
        Submission.submit(client, "acme", "same-b", IMAGE, AUDIO, options(7));
        Submission.submit(client, "acme", "other", HALF_BODY, AUDIO, options(8));
        Map<String, VideoCompleted> done = new HashMap<>();
        for (String id : List.of("same-a", "same-b", "other")) {
            done.put(id, await(id));
        }

        ObjectStore store = new ObjectStore(client.storageSettings());
        Map<String, Path> downloaded = new HashMap<>();
        for (VideoCompleted c : done.values()) {
            Path mp4 = Files.createTempFile(state, c.getRequestId(), ".mp4");
            store.download(c.getVideo(), mp4);
            downloaded.put(c.getRequestId(), mp4);
            assertPlayable(mp4, c);
            // The HLS stream mux published on the way ends with the same video.
            StreamFollower stream =
                    new StreamFollower(store, "acme", c.getRequestId(), state.resolve("stream-" + c.getRequestId()));
            assertThat(stream.poll()).as("%s's stream ended", c.getRequestId()).isTrue();
            assertDecodes(stream.playlist(), c);
            assertThat(c.getQuality()).containsKeys("lip_sync", "identity_mean", "seam_flicker");
            if (c.getRequestId().equals("other")) {
                // Half body: the hands move with the speech and stay sharp; the background stays still.
                assertThat(c.getQuality().get("hand_clarity")).isBetween(0.9, 1.1);
                assertThat(c.getQuality().get("background_change")).isBetween(0.0, 0.02);
                assertThat(c.getQuality().get("hand_motion")).isGreaterThan(0.005);
                assertThat(c.getQuality().get("hand_onset_correlation")).isGreaterThan(0.1);
            } else {
                assertThat(c.getQuality())
                        .doesNotContainKeys(
                                "hand_clarity", "background_change", "hand_motion", "hand_onset_correlation");
            }
            assertThat(c.getPresignedUrl()).startsWith(client.storageSettings().endpoint());
        }
        // Same inputs and seed, different requests: bit-identical frames, segment by segment.
        List<String> a = store.list(store.workBucket(), "acme/same-a/render/");
        assertThat(a).isNotEmpty();
        for (String key : a) {
            byte[] first = store.openUnverified(store.workBucket(), key).readAllBytes();
            byte[] second = store.openUnverified(store.workBucket(), key.replace("same-a", "same-b"))
                    .readAllBytes();
            assertThat(second).as(key).isEqualTo(first);
        }
        assertThat(pipeline.status().status("same-a")).hasValueSatisfying(s -> {
            assertThat(s.getState()).isEqualTo(RequestState.COMPLETED);
            assertThat(s.getStreamUrl()).as("the stream announced").contains("signed.m3u8");
        });

        // The cluster commands, pointed at this pipeline like at any cluster.
        String[] cluster = {
            "--bootstrap-servers",
            client.bootstrapServers(),
            "--s3-endpoint",
            client.storageSettings().endpoint(),
            "--s3-access-key",
            client.storageSettings().accessKey(),
            "--s3-secret-key",
            client.storageSettings().secretKey()
        };
        assertThat(Loopline.execute(concat(new String[] {"status", "same-a"}, cluster)))
                .isZero();
        Path fetched = state.resolve("fetched.mp4");
        Path followed = state.resolve("followed");
        assertThat(Loopline.execute(concat(
                        new String[] {"fetch", "same-a", "--out", fetched.toString(), "--follow", followed.toString()},
                        cluster)))
                .isZero();
        assertThat(fetched).hasSameBinaryContentAs(downloaded.get("same-a"));
        assertDecodes(followed.resolve(HlsStreams.PLAYLIST), done.get("same-a"));
        assertThat(Loopline.execute(concat(new String[] {"replay", "--service", "render", "--to-earliest"}, cluster)))
                .as("replay refused while render runs")
                .isEqualTo(Loopline.FAILED);

        // Ops replay requests to ingest: refused while ingest runs, done once it is stopped.
        String requests = client.topicCatalog().name(Topics.REQUESTS);
        assertThatThrownBy(() -> GroupReplay.reset(
                        client, "loopline-ingest", List.of(requests), GroupReplay.Target.offset(0), false))
                .isInstanceOf(GroupReplay.LiveMembersException.class)
                .hasMessageContaining("live member");
        int segments = countRecords(Topics.SEGMENTS_RENDERED, 0);
        pipeline.service("ingest").stop();
        List<GroupReplay.Move> moves =
                GroupReplay.reset(client, "loopline-ingest", List.of(requests), GroupReplay.Target.offset(0), false);
        assertThat(moves).anyMatch(m -> m.from() != null && m.from() > m.to());
        pipeline.service("ingest").start();

        // Everything is rendered again (deterministic keys, same bytes) ...
        countRecords(Topics.SEGMENTS_RENDERED, 2 * segments);
        Thread.sleep(2_000); // ... and mux has had time to see the duplicates
        List<String> ids = List.of("same-a", "same-b", "other");
        long completions = TestClusters.read(
                        readCommitted(), client.topicCatalog().name(Topics.VIDEOS_COMPLETED), 3, Duration.ofSeconds(30))
                .stream()
                .filter(r -> ids.contains(new String(r.key(), StandardCharsets.UTF_8)))
                .count();
        assertThat(completions).as("completions after the replay").isEqualTo(3);
    }

    @Test
    void muxStoppedAndRestartedMidRequestCompletesItOnce() throws Exception {
        // Garbage and a tombstone on one of mux's inputs go to its dead-letter topic; mux carries on.
        String segmentsTopic = client.topicCatalog().name(Topics.SEGMENTS_RENDERED);
        TestClusters.send(
                client,
                segmentsTopic,
                "mux-restart".getBytes(StandardCharsets.UTF_8),
                "not an event".getBytes(StandardCharsets.UTF_8));
        TestClusters.send(client, segmentsTopic, "mux-restart".getBytes(StandardCharsets.UTF_8), null);
        Submission.submit(client, "acme", "mux-restart", IMAGE, AUDIO, options(11));
        // Stop mux while the request is being rendered or assembled; its state comes back from the changelog.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline
                && pipeline.status()
                        .status("mux-restart")
                        .map(st -> st.getSegmentsDone() == 0 && st.getStage() != Stage.MUX)
                        .orElse(true)) {
            Thread.sleep(20);
        }
        pipeline.service("mux").stop();
        Thread.sleep(1_000);
        pipeline.service("mux").start();
        VideoCompleted completed = await("mux-restart");
        assertThat(completed.getFrameCount()).isPositive();
        long completions = TestClusters.read(
                        readCommitted(), client.topicCatalog().name(Topics.VIDEOS_COMPLETED), 1, Duration.ofSeconds(30))
                .stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("mux-restart"))
                .count();
        assertThat(completions).isEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> letters =
                TestClusters.read(readCommitted(), segmentsTopic + Topics.DLQ_SUFFIX, 4, Duration.ofSeconds(30));
        // Two groups read segments.rendered (mux and the status view): each sets each record aside once, naming itself.
        assertThat(letters)
                .extracting(letter -> header(letter, DeadLetterHeaders.CONSUMER_GROUP))
                .containsExactlyInAnyOrder("loopline-mux", "loopline-status", "loopline-mux", "loopline-status");
        assertThat(letters)
                .extracting(
                        letter -> letter.value() == null ? null : new String(letter.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("not an event", "not an event", null, null);
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(segmentsTopic);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static LooplineConfig readCommitted() {
        Map<String, String> props = new HashMap<>(client.originalsStrings());
        props.put("kafka.client.isolation.level", "read_committed");
        return new LooplineConfig("test", props);
    }

    /** Committed records of a topic, waiting until there are at least {@code atLeast}. */
    private static int countRecords(TopicSpec<?> spec, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> records = TestClusters.read(
                readCommitted(), client.topicCatalog().name(spec), Math.max(1, atLeast), Duration.ofMinutes(4));
        return records.size();
    }

    private static void assertPlayable(Path mp4, VideoCompleted c) throws Exception {
        assertDecodes(mp4, c);
        // +faststart: the index (moov) comes before the media data (mdat).
        String ascii = new String(Files.readAllBytes(mp4), StandardCharsets.ISO_8859_1);
        assertThat(ascii.indexOf("moov")).as("moov before mdat").isPositive().isLessThan(ascii.indexOf("mdat"));
    }

    /** An MP4 or an ended HLS playlist: H.264 + AAC, every frame of the video, as long as the audio. */
    private static void assertDecodes(Path media, VideoCompleted c) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(media.toFile())) {
            grabber.start();
            assertThat(grabber.getVideoCodec()).isEqualTo(avcodec.AV_CODEC_ID_H264);
            assertThat(grabber.getAudioCodec()).isEqualTo(avcodec.AV_CODEC_ID_AAC);
            assertThat(grabber.getImageWidth()).isEqualTo(128);
            int frames = 0;
            while (grabber.grabImage() != null) {
                frames++;
            }
            assertThat(frames).isEqualTo(c.getFrameCount());
            assertThat(Math.abs(frames * 1000.0 / c.getFps() - 5927))
                    .as("video vs audio duration (ms)")
                    .isLessThanOrEqualTo(1000.0 / c.getFps());
        }
    }
}
