package io.loopline.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.events.MediaValidated;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestState;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoStreaming;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.status.internals.StatusTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status view's topology on Kafka Streams' own test driver: events of every stage in, the status topic out. */
class StatusTopologyTest {

    private static final String ID = "r1";
    private static final Duration RETENTION = Duration.ofHours(2);

    private final TopicCatalog catalog = TopicCatalog.defaults();
    private TopologyTestDriver driver;
    private TestOutputTopic<String, RequestStatus> status;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "status-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                StatusTopology.build(catalog, RETENTION), props, Instant.parse("2026-12-01T00:00:00Z"));
        status = driver.createOutputTopic(
                catalog.name(Topics.STATUS),
                Serdes.String().deserializer(),
                catalog.valueSerde(RequestStatus.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private <V extends SpecificRecord> void send(TopicSpec<V> topic, V event) {
        TestInputTopic<String, V> in = driver.createInputTopic(
                catalog.name(topic),
                Serdes.String().serializer(),
                catalog.valueSerde(topic.valueType()).serializer());
        in.pipeInput(ID, event);
    }

    private static SegmentRendered segment(int index) {
        return SegmentRendered.newBuilder(SampleEvents.segmentRendered())
                .setSegmentIndex(index)
                .build();
    }

    private List<RequestStatus> statuses() {
        return status.readKeyValuesToList().stream().map(kv -> kv.value).toList();
    }

    @Test
    void followsARequestThroughEveryStageCountingEachSegmentOnce() {
        send(Topics.REQUESTS, SampleEvents.request("t1", ID));
        send(
                Topics.MEDIA_VALIDATED,
                MediaValidated.newBuilder(SampleEvents.mediaValidated()).build());
        send(Topics.SEGMENTS_RENDERED, segment(0));
        send(Topics.SEGMENTS_RENDERED, segment(0)); // a re-render of a stored segment
        send(Topics.SEGMENTS_RENDERED, segment(2));
        send(Topics.SEGMENTS_RENDERED, segment(1));
        send(Topics.VIDEOS_COMPLETED, SampleEvents.videoCompleted());

        List<RequestStatus> seen = statuses();
        assertThat(seen)
                .extracting(RequestStatus::getStage)
                .containsExactly(Stage.INGEST, Stage.FEATURE, Stage.RENDER, Stage.RENDER, Stage.MUX, Stage.MUX);
        assertThat(seen).extracting(RequestStatus::getSegmentsDone).containsExactly(0, 0, 1, 2, 3, 3);
        assertThat(seen).extracting(RequestStatus::getProgress).isSorted();
        RequestStatus last = seen.get(seen.size() - 1);
        assertThat(last.getState()).isEqualTo(RequestState.COMPLETED);
        assertThat(last.getProgress()).isEqualTo(1f);
        assertThat(last.getVideo()).isEqualTo(SampleEvents.videoCompleted().getVideo());
        assertThat(segmentIndexesKept()).as("indexes of a finished request").isEmpty();
    }

    @Test
    void ingestsWarningsReachTheStatusEvenWhenTheValidationComesAfterARenderedSegment() {
        send(Topics.REQUESTS, SampleEvents.request("t1", ID));
        send(Topics.SEGMENTS_RENDERED, segment(0));
        send(Topics.MEDIA_VALIDATED, SampleEvents.mediaValidated());

        List<RequestStatus> seen = statuses();
        RequestStatus last = seen.get(seen.size() - 1);
        assertThat(last.getStage()).as("no step back").isEqualTo(Stage.RENDER);
        assertThat(last.getWarnings())
                .isNotEmpty()
                .isEqualTo(SampleEvents.mediaValidated().getWarnings());
    }

    @Test
    void aFinishedRequestStaysFinishedWhateverComesLater() {
        send(Topics.REQUESTS, SampleEvents.request("t1", ID));
        send(Topics.SEGMENTS_RENDERED, segment(0));
        RequestFailed failure = RequestFailed.newBuilder(SampleEvents.requestFailed())
                .setStage(Stage.RENDER)
                .setErrorCode("INTERNAL_ERROR")
                .build();
        send(Topics.REQUESTS_FAILED, failure);
        statuses();
        // Segments other workers were still rendering, a replayed request, a completion: none reopens it.
        send(Topics.SEGMENTS_RENDERED, segment(1));
        send(Topics.REQUESTS, SampleEvents.request("t1", ID));
        send(Topics.VIDEOS_COMPLETED, SampleEvents.videoCompleted());
        assertThat(status.isEmpty()).isTrue();
        RequestStatus kept = store().get(ID);
        assertThat(kept.getState()).isEqualTo(RequestState.FAILED);
        assertThat(kept.getStage()).isEqualTo(Stage.RENDER);
        assertThat(kept.getErrorCode()).isEqualTo("INTERNAL_ERROR");
        assertThat(segmentIndexesKept()).isEmpty();
    }

    @Test
    void aStreamAnnouncedGivesItsUrlWithoutMovingTheRequest() {
        send(Topics.REQUESTS, SampleEvents.request("t1", ID));
        send(Topics.SEGMENTS_RENDERED, segment(0));
        VideoStreaming streaming = VideoStreaming.newBuilder()
                .setRequestId(ID)
                .setTenant("t1")
                .setRequestedAt(SampleEvents.REQUESTED_AT)
                .setPlaylistKey("t1/r1/mux/stream/index.m3u8")
                .setPresignedUrl("http://storage/t1/r1/mux/stream/signed.m3u8?sig=1")
                .setUrlExpiresAt(Instant.parse("2026-12-02T00:00:00Z"))
                .build();
        send(Topics.VIDEOS_STREAMING, streaming);
        List<RequestStatus> seen = statuses();
        RequestStatus last = seen.get(seen.size() - 1);
        assertThat(last.getStreamUrl()).isEqualTo(streaming.getPresignedUrl());
        assertThat(last.getStage()).isEqualTo(Stage.RENDER);
        assertThat(last.getSegmentsDone()).isEqualTo(1);
        // The completion keeps it.
        send(Topics.VIDEOS_COMPLETED, SampleEvents.videoCompleted());
        assertThat(store().get(ID).getState()).isEqualTo(RequestState.COMPLETED);
        assertThat(store().get(ID).getStreamUrl()).isEqualTo(streaming.getPresignedUrl());
    }

    @Test
    void finishedRequestsAreForgottenAfterTheRetention() {
        send(Topics.REQUESTS, SampleEvents.request("t1", ID));
        send(Topics.VIDEOS_COMPLETED, SampleEvents.videoCompleted());
        assertThat(store().get(ID)).isNotNull();
        driver.advanceWallClockTime(Duration.ofHours(1));
        assertThat(store().get(ID)).as("within the retention").isNotNull();
        driver.advanceWallClockTime(Duration.ofHours(2));
        assertThat(store().get(ID)).as("past the retention").isNull();
    }

    private KeyValueStore<String, RequestStatus> store() {
        return driver.getKeyValueStore(StatusTracker.STATUS_STORE);
    }

    private List<String> segmentIndexesKept() {
        KeyValueStore<String, Integer> segments = driver.getKeyValueStore(StatusTracker.SEGMENT_STORE);
        List<String> keys = new ArrayList<>();
        try (var all = segments.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }
}
