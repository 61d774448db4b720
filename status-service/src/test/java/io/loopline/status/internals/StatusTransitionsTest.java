package io.loopline.status.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.ObjectRef;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestState;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusTransitionsTest {

    private static final ObjectRef REF = ObjectRef.newBuilder()
            .setBucket("b")
            .setKey("k")
            .setSha256("0".repeat(64))
            .setSize(1)
            .build();

    private static GenerationRequest request() {
        return GenerationRequest.newBuilder()
                .setRequestId("r1")
                .setTenant("acme")
                .setRequestedAt(Instant.ofEpochMilli(1))
                .setImage(REF)
                .setAudio(REF)
                .setOptions(GenerationOptions.newBuilder().build())
                .build();
    }

    private static SegmentRendered segment(int index, int count) {
        return SegmentRendered.newBuilder()
                .setRequestId("r1")
                .setTenant("acme")
                .setRequestedAt(Instant.ofEpochMilli(1))
                .setSegmentIndex(index)
                .setSegmentCount(count)
                .setFrameStart(index * 12)
                .setFrameCount(16)
                .setOverlapFrames(4)
                .setTotalFrames(40)
                .setFps(25)
                .setWidth(8)
                .setHeight(8)
                .setFrames(REF)
                .setOriginalAudio(REF)
                .setAudioDurationMs(1600)
                .build();
    }

    private static RequestFailed failed(Stage stage) {
        return RequestFailed.newBuilder()
                .setRequestId("r1")
                .setTenant("acme")
                .setRequestedAt(Instant.ofEpochMilli(1))
                .setStage(stage)
                .setErrorCode("NO_FACE")
                .setMessage("No face.")
                .setRetryable(false)
                .build();
    }

    private static VideoCompleted completion() {
        return VideoCompleted.newBuilder()
                .setRequestId("r1")
                .setTenant("acme")
                .setRequestedAt(Instant.ofEpochMilli(1))
                .setVideo(REF)
                .setPresignedUrl("http://storage/v.mp4")
                .setUrlExpiresAt(Instant.ofEpochMilli(2))
                .setDurationMs(1600)
                .setFrameCount(40)
                .setFps(25)
                .setWidth(8)
                .setHeight(8)
                .build();
    }

    @Test
    void progressGrowsWithRenderedSegmentsThenMuxThenCompletes() {
        RequestStatus s = StatusTransitions.accepted(null, request(), 10);
        assertThat(s.getState()).isEqualTo(RequestState.ACCEPTED);
        assertThat(s.getStage()).isEqualTo(Stage.INGEST);
        s = StatusTransitions.rendered(s, segment(0, 3), 1, 20);
        assertThat(s.getStage()).isEqualTo(Stage.RENDER);
        assertThat(s.getSegmentsDone()).isEqualTo(1);
        assertThat(s.getSegmentsTotal()).isEqualTo(3);
        float oneThird = s.getProgress();
        s = StatusTransitions.rendered(s, segment(2, 3), 3, 30);
        assertThat(StatusTransitions.isAssembling(s)).isTrue();
        assertThat(s.getProgress()).isGreaterThan(oneThird);
        s = StatusTransitions.completed(s, completion(), 40);
        assertThat(s.getState()).isEqualTo(RequestState.COMPLETED);
        assertThat(s.getProgress()).isEqualTo(1f);
        assertThat(s.getVideo()).isEqualTo(REF);
    }

    @Test
    void neverGoesBackAndFinalStatesStay() {
        RequestStatus rendering = StatusTransitions.rendered(null, segment(0, 3), 1, 20);
        // A late or replayed request event does not move the status back to ingest.
        RequestStatus after = StatusTransitions.accepted(rendering, request(), 30);
        assertThat(after.getStage()).isEqualTo(Stage.RENDER);
        assertThat(after.getState()).isEqualTo(RequestState.RUNNING);
        RequestStatus done = StatusTransitions.completed(after, completion(), 40);
        assertThat(StatusTransitions.failed(done, failed(Stage.RENDER), 50)).isSameAs(done);
        assertThat(StatusTransitions.rendered(done, segment(1, 3), 3, 50)).isEqualTo(done);

        RequestStatus failed = StatusTransitions.failed(null, failed(Stage.INGEST), 10);
        assertThat(failed.getState()).isEqualTo(RequestState.FAILED);
        assertThat(failed.getErrorCode()).isEqualTo("NO_FACE");
        assertThat(StatusTransitions.accepted(failed, request(), 20)).isSameAs(failed);
        assertThat(StatusTransitions.completed(failed, completion(), 20)).isSameAs(failed);
    }

    @Test
    void aCompletionSeenFirstCompletesTheRequestOnce() {
        // The view started after the other events left the topics' retention, or read videos.completed first.
        RequestStatus done = StatusTransitions.completed(null, completion(), 10);
        assertThat(done.getState()).isEqualTo(RequestState.COMPLETED);
        assertThat(done.getRequestId()).isEqualTo("r1");
        assertThat(done.getTenant()).isEqualTo("acme");
        assertThat(done.getVideo()).isEqualTo(REF);
        assertThat(StatusTransitions.completed(done, completion(), 20)).isSameAs(done);
        assertThat(StatusTransitions.rendered(done, segment(0, 3), 1, 20)).isSameAs(done);
    }
}
