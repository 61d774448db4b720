package io.loopline.schemas;

import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.RenderTask;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.VideoCompleted;
import io.loopline.events.VideoStreaming;
import java.time.Duration;
import java.util.List;

/**
 * The catalog: every topic of the pipeline, declared once. Services, the CLI and the deployment
 * files all derive topic names, serdes and creation settings from here (through {@link TopicCatalog},
 * which adds the deployment's prefix and serde choice).
 */
public final class Topics {

    private static final Duration WEEK = Duration.ofDays(7);

    /** Generation requests from apps and the CLI. Key: request id. */
    public static final TopicSpec<GenerationRequest> REQUESTS =
            new TopicSpec<>("requests", GenerationRequest.class, 6, false, WEEK, "request id");

    /** Media decoded, checked and normalized by ingest. Key: request id. */
    public static final TopicSpec<MediaValidated> MEDIA_VALIDATED =
            new TopicSpec<>("media.validated", MediaValidated.class, 6, false, WEEK, "request id");

    /** One record per clip segment; its partition count bounds render parallelism. Key: request id/segment index. */
    public static final TopicSpec<RenderTask> RENDER_TASKS =
            new TopicSpec<>("render.tasks", RenderTask.class, 24, false, WEEK, "request id/segment index");

    /** A segment's frames are stored. Key: request id, so that one request's segments meet in one mux task. */
    public static final TopicSpec<SegmentRendered> SEGMENTS_RENDERED =
            new TopicSpec<>("segments.rendered", SegmentRendered.class, 6, false, WEEK, "request id");

    /** The video is ready. Key: request id. */
    public static final TopicSpec<VideoCompleted> VIDEOS_COMPLETED =
            new TopicSpec<>("videos.completed", VideoCompleted.class, 6, false, Duration.ofDays(30), "request id");

    /** A request's video can be watched while it is made (its HLS stream is up). Key: request id. */
    public static final TopicSpec<VideoStreaming> VIDEOS_STREAMING =
            new TopicSpec<>("videos.streaming", VideoStreaming.class, 6, false, Duration.ofDays(7), "request id");

    /** A stage gave up on a request. Key: request id. */
    public static final TopicSpec<RequestFailed> REQUESTS_FAILED =
            new TopicSpec<>("requests.failed", RequestFailed.class, 6, false, Duration.ofDays(30), "request id");

    /** Latest state of each request (compacted). Key: request id. */
    public static final TopicSpec<RequestStatus> STATUS =
            new TopicSpec<>("status", RequestStatus.class, 6, true, Duration.ofDays(30), "request id");

    /** Every topic, in pipeline order. */
    public static final List<TopicSpec<?>> ALL = List.of(
            REQUESTS,
            MEDIA_VALIDATED,
            RENDER_TASKS,
            SEGMENTS_RENDERED,
            VIDEOS_STREAMING,
            VIDEOS_COMPLETED,
            REQUESTS_FAILED,
            STATUS);

    /** Suffix of the dead-letter topic beside each consumed topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    /** How long dead letters are kept for ops to inspect. */
    public static final Duration DLQ_RETENTION = Duration.ofDays(30);

    /** Separator of the render-task key: {@code <request id>/<segment index>}. */
    public static String renderTaskKey(String requestId, int segmentIndex) {
        return requestId + "/" + segmentIndex;
    }

    /**
     * Where a render task goes: a request's segments are dealt round-robin over render.tasks'
     * partitions (from a start that depends on the request), so every render worker gets an equal
     * share of a request instead of what the key hash happens to give it.
     */
    public static int renderTaskSpread(String requestId, int segmentIndex) {
        return requestId.hashCode() + segmentIndex;
    }

    private Topics() {}
}
