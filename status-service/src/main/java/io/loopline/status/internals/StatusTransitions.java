package io.loopline.status.internals;

import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestState;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.events.VideoStreaming;
import io.loopline.schemas.EventFields;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * The status view's rules: how each stage's event moves a request's {@link RequestStatus}. A status
 * never goes backwards — events of different topics may arrive in any order, and a replayed request
 * must not reopen a finished one — and COMPLETED and FAILED are final.
 *
 * <p>Progress is the fraction of the whole job: ingest and feature are quick (5% each), rendering is
 * most of it (80%, by segments stored), mux the last 10%.
 */
public final class StatusTransitions {

    static final float INGEST_DONE = 0.05f;
    static final float FEATURE_DONE = 0.10f;
    static final float RENDER_DONE = 0.90f;

    private StatusTransitions() {}

    public static boolean isFinal(RequestStatus s) {
        return s != null && (s.getState() == RequestState.COMPLETED || s.getState() == RequestState.FAILED);
    }

    /** Whether every segment is rendered and the video is being assembled. */
    public static boolean isAssembling(RequestStatus s) {
        return s != null && s.getState() == RequestState.RUNNING && s.getStage() == Stage.MUX;
    }

    public static RequestStatus accepted(RequestStatus current, GenerationRequest r, long now) {
        return advance(current, r, Stage.INGEST, RequestState.ACCEPTED, 0f, now);
    }

    /** Ingest accepted the media; its warnings go into the status whatever else is known (events come in any order). */
    public static RequestStatus validated(RequestStatus current, MediaValidated m, long now) {
        RequestStatus next = advance(current, m, Stage.FEATURE, RequestState.RUNNING, INGEST_DONE, now);
        return next.getWarnings().equals(m.getWarnings())
                ? next
                : RequestStatus.newBuilder(next).setWarnings(m.getWarnings()).build();
    }

    /** A segment stored; {@code done} distinct segments of {@code total} so far. */
    public static RequestStatus rendered(RequestStatus current, SegmentRendered s, int done, long now) {
        int total = s.getSegmentCount();
        boolean all = done >= total;
        RequestStatus next = advance(
                current,
                s,
                all ? Stage.MUX : Stage.RENDER,
                RequestState.RUNNING,
                FEATURE_DONE + (RENDER_DONE - FEATURE_DONE) * done / total,
                now);
        if (isFinal(next)) {
            return next;
        }
        return RequestStatus.newBuilder(next)
                .setSegmentsDone(Math.max(next.getSegmentsDone(), done))
                .setSegmentsTotal(total)
                .build();
    }

    public static RequestStatus completed(RequestStatus current, VideoCompleted v, long now) {
        return isFinal(current)
                ? current
                : end(current, v, now, RequestState.COMPLETED, Stage.MUX)
                        .setProgress(1f)
                        .setVideo(v.getVideo())
                        .setErrorCode(null)
                        .setMessage(null)
                        .build();
    }

    /**
     * The video can be watched while it is made: its stream's presigned URL. It changes no stage or state — a
     * finished request keeps its state and gains the URL (the announcement may come after the completion).
     */
    public static RequestStatus streaming(RequestStatus current, VideoStreaming v, long now) {
        RequestStatus base = current != null ? current : initial(v, now);
        return RequestStatus.newBuilder(base)
                .setStreamUrl(v.getPresignedUrl())
                .setStreamUrlExpiresAt(v.getUrlExpiresAt())
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }

    public static RequestStatus failed(RequestStatus current, RequestFailed f, long now) {
        return isFinal(current)
                ? current
                : end(current, f, now, RequestState.FAILED, f.getStage())
                        .setErrorCode(f.getErrorCode())
                        .setMessage(f.getMessage())
                        .build();
    }

    /** The final status's builder, from the current status or, for a request seen first now, a new one. */
    private static RequestStatus.Builder end(
            RequestStatus current, SpecificRecord about, long now, RequestState state, Stage stage) {
        return RequestStatus.newBuilder(current != null ? current : initial(about, now))
                .setState(state)
                .setStage(stage)
                .setUpdatedAt(Instant.ofEpochMilli(now));
    }

    private static RequestStatus advance(
            RequestStatus current, SpecificRecord about, Stage stage, RequestState state, float progress, long now) {
        if (isFinal(current)) {
            return current;
        }
        RequestStatus base = current != null ? current : initial(about, now);
        if (stage.ordinal() < base.getStage().ordinal()) {
            return base;
        }
        RequestState newState = base.getState() == RequestState.RUNNING && state == RequestState.ACCEPTED
                ? RequestState.RUNNING
                : state;
        return RequestStatus.newBuilder(base)
                .setStage(stage)
                .setState(newState)
                .setProgress(Math.max(base.getProgress(), progress))
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** A new request's status, from any of its events. */
    private static RequestStatus initial(SpecificRecord about, long now) {
        return EventFields.copyEnvelope(about, RequestStatus.newBuilder())
                .setStage(Stage.SUBMIT)
                .setState(RequestState.ACCEPTED)
                .setProgress(0f)
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
