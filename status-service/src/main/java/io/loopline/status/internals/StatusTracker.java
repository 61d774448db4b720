package io.loopline.status.internals;

import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.VideoCompleted;
import io.loopline.events.VideoStreaming;
import io.loopline.streams.PerRequestEntries;
import io.loopline.streams.StateStores;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status view's processor, one per input partition: moves each request's {@link RequestStatus}
 * by {@link StatusTransitions} as its events arrive and forwards every change to the {@code status}
 * topic. Rendered segments are counted once each: their indexes are kept until the request finishes.
 */
public final class StatusTracker implements Processor<String, SpecificRecord, String, RequestStatus> {

    private static final Logger log = LoggerFactory.getLogger(StatusTracker.class);

    public static final String STATUS_STORE = "status-requests";
    public static final String SEGMENT_STORE = "status-segments";
    public static final String STATUS_SINK = "status-sink";

    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final Duration retention;
    private ProcessorContext<String, RequestStatus> context;
    private KeyValueStore<String, RequestStatus> statuses;
    private KeyValueStore<String, Integer> segments;

    public StatusTracker(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, RequestStatus> context) {
        this.context = context;
        this.statuses = context.getStateStore(STATUS_STORE);
        this.segments = context.getStateStore(SEGMENT_STORE);
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::purgeFinished);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String requestId = record.key();
        SpecificRecord value = record.value();
        if (requestId == null || value == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        RequestStatus current = statuses.get(requestId);
        RequestStatus next;
        if (value instanceof GenerationRequest r) {
            next = StatusTransitions.accepted(current, r, now);
        } else if (value instanceof MediaValidated m) {
            next = StatusTransitions.validated(current, m, now);
        } else if (value instanceof SegmentRendered s) {
            next = rendered(requestId, current, s, now);
        } else if (value instanceof VideoStreaming v) {
            next = StatusTransitions.streaming(current, v, now);
        } else if (value instanceof VideoCompleted v) {
            next = StatusTransitions.completed(current, v, now);
        } else if (value instanceof RequestFailed f) {
            next = StatusTransitions.failed(current, f, now);
        } else {
            log.warn("Ignoring a {} for {}", value.getClass().getSimpleName(), requestId);
            return;
        }
        if (next == null || next.equals(current)) {
            return;
        }
        if (StatusTransitions.isFinal(next)) {
            PerRequestEntries.deleteAll(segments, requestId);
        }
        statuses.put(requestId, next);
        context.forward(new Record<>(requestId, next, record.timestamp()), STATUS_SINK);
    }

    private RequestStatus rendered(String requestId, RequestStatus current, SegmentRendered s, long now) {
        if (StatusTransitions.isFinal(current)) {
            return current; // a late duplicate or a replay: nothing to count
        }
        String key = PerRequestEntries.key(requestId, s.getSegmentIndex());
        boolean added = segments.putIfAbsent(key, s.getSegmentIndex()) == null;
        // The status counts the distinct segments seen, in the same transaction as their indexes.
        int done = (current == null ? 0 : current.getSegmentsDone()) + (added ? 1 : 0);
        return StatusTransitions.rendered(current, s, done, now);
    }

    /** Forgets finished requests older than the retention, so the store does not grow forever. */
    private void purgeFinished(long now) {
        long before = now - retention.toMillis();
        StateStores.deleteWhere(
                statuses,
                status -> StatusTransitions.isFinal(status)
                        && status.getUpdatedAt().toEpochMilli() < before);
    }
}
