package io.loopline.mux.internals;

import io.loopline.core.metrics.StageMetrics;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mux's Streams processor, one per input partition: keeps each request's status and its rendered
 * segments in state stores (duplicates collapse on the segment's key) and feeds the segments to the
 * request's {@link Assembly}, which encodes on a thread pool so the Streams thread never blocks. An
 * assembly starts with a request's first stored segment while the pool allows early ones (the video
 * is then encoded while the rest renders), otherwise once every segment is there. A punctuator picks
 * up finished assemblies and emits {@code videos.completed} (or {@code requests.failed}) together
 * with the status change — in the same Streams transaction, so exactly once. If the instance dies
 * mid-assembly, the restored store still holds the segments: {@link #init} starts the assemblies of
 * complete requests again, and a request still rendering starts again with its next segment; the
 * upload overwrites the same object, and nothing was emitted the first time.
 */
public final class RequestTracker implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(RequestTracker.class);

    public static final String STATUS_STORE = "mux-status";
    public static final String SEGMENT_STORE = "mux-segments";
    public static final String STATUS_SINK = "status-sink";
    public static final String COMPLETED_SINK = "completed-sink";
    public static final String FAILED_SINK = "failed-sink";

    private static final Duration COLLECT_EVERY = Duration.ofMillis(100);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final AssemblyPool pool;
    private final Duration retention;
    private final Map<String, Assembly> running = new HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, RequestStatus> statuses;
    private KeyValueStore<String, SegmentRendered> segments;

    public RequestTracker(AssemblyPool pool, Duration retention) {
        this.pool = pool;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.statuses = context.getStateStore(STATUS_STORE);
        this.segments = context.getStateStore(SEGMENT_STORE);
        context.schedule(COLLECT_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> collectFinished());
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::purgeFinished);
        List<RequestStatus> resume = new ArrayList<>();
        try (KeyValueIterator<String, RequestStatus> all = statuses.all()) {
            all.forEachRemaining(kv -> {
                if (StatusTransitions.isAssembling(kv.value)) {
                    resume.add(kv.value);
                }
            });
        }
        for (RequestStatus status : resume) {
            log.info("Resuming the assembly of {} (interrupted before it was emitted)", status.getRequestId());
            storedValues(status.getRequestId()).stream()
                    .findFirst()
                    .ifPresent(any -> launch(status.getRequestId(), any, true));
        }
    }

    static String segmentKey(String requestId, int index) {
        return requestId + "/" + String.format(Locale.ROOT, "%06d", index);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String requestId = record.key();
        SpecificRecord value = record.value();
        StageMetrics.recordsIn(Stage.MUX).increment();
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
        } else if (value instanceof RequestFailed f) {
            next = StatusTransitions.failed(current, f, now);
            if (next != current) {
                cancel(requestId);
                deleteSegments(requestId);
            }
        } else if (value instanceof SegmentRendered s) {
            if (StatusTransitions.isFinal(current) || StatusTransitions.isAssembling(current)) {
                return; // a re-render or a replay after the set was complete: nothing changes
            }
            String key = segmentKey(requestId, s.getSegmentIndex());
            boolean added = segments.get(key) == null;
            if (added) {
                segments.put(key, s);
            }
            // The status counts the distinct segments stored, in the same transaction as the store: no need to read
            // them all back for every new one.
            int done = (current == null ? 0 : current.getSegmentsDone()) + (added ? 1 : 0);
            next = StatusTransitions.rendered(current, s, done, now);
            update(requestId, current, next, record.timestamp());
            Assembly assembly = running.get(requestId);
            if (assembly != null) {
                assembly.offer(s);
            } else {
                launch(requestId, s, StatusTransitions.isAssembling(next));
            }
            return;
        } else {
            log.warn("Ignoring a {} for {}", value.getClass().getSimpleName(), requestId);
            return;
        }
        update(requestId, current, next, record.timestamp());
    }

    /** Forwards an event to {@code sink}, which writes {@code topic}, and counts it out. */
    private void emit(String requestId, SpecificRecord value, long timestamp, String sink, TopicSpec<?> topic) {
        context.forward(new Record<String, SpecificRecord>(requestId, value, timestamp), sink);
        StageMetrics.recordsOut(Stage.MUX, topic.baseName()).increment();
    }

    private void update(String requestId, RequestStatus current, RequestStatus next, long timestamp) {
        if (next != null && !next.equals(current)) {
            statuses.put(requestId, next);
            emit(requestId, next, timestamp, STATUS_SINK, Topics.STATUS);
        }
    }

    /** The request's stored segments, in index order (the keys are zero-padded). */
    private List<KeyValue<String, SegmentRendered>> storedSegments(String requestId) {
        List<KeyValue<String, SegmentRendered>> out = new ArrayList<>();
        try (KeyValueIterator<String, SegmentRendered> it =
                segments.prefixScan(requestId + "/", new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private void deleteSegments(String requestId) {
        storedSegments(requestId).forEach(kv -> segments.delete(kv.key));
    }

    private List<SegmentRendered> storedValues(String requestId) {
        return storedSegments(requestId).stream().map(kv -> kv.value).toList();
    }

    /**
     * Starts the request's assembly with its stored segments, unless it has one or (when incomplete) the pool says
     * wait; the segments are read back only when it starts.
     *
     * @param any any segment of the request (each describes the whole video)
     */
    private void launch(String requestId, SegmentRendered any, boolean complete) {
        if (running.containsKey(requestId)) {
            return;
        }
        Assembly assembly = pool.start(any, complete);
        if (assembly != null) {
            running.put(requestId, assembly);
            storedValues(requestId).forEach(assembly::offer);
        }
    }

    /** On the Streams thread: emits what finished assemblies produced, with their status. */
    private void collectFinished() {
        for (Iterator<Map.Entry<String, Assembly>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Assembly> entry = it.next();
            CompletableFuture<Assembly.Outcome> result = entry.getValue().outcome();
            if (!result.isDone()) {
                continue;
            }
            it.remove();
            String requestId = entry.getKey();
            if (result.isCancelled() || result.isCompletedExceptionally()) {
                continue;
            }
            Assembly.Outcome outcome = result.join();
            long now = context.currentSystemTimeMs();
            RequestStatus current = statuses.get(requestId);
            if (!StatusTransitions.isAssembling(current)) {
                continue;
            }
            RequestStatus next;
            if (outcome.completed() != null) {
                emit(requestId, outcome.completed(), now, COMPLETED_SINK, Topics.VIDEOS_COMPLETED);
                next = StatusTransitions.completed(current, outcome.completed().getVideo(), now);
            } else {
                emit(requestId, outcome.failed(), now, FAILED_SINK, Topics.REQUESTS_FAILED);
                StageMetrics.recordsFailed(Stage.MUX, outcome.failed().getErrorCode())
                        .increment();
                next = StatusTransitions.failed(current, outcome.failed(), now);
            }
            deleteSegments(requestId);
            update(requestId, current, next, now);
        }
    }

    /** Forgets finished requests older than the retention, so the store does not grow forever. */
    private void purgeFinished(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, RequestStatus> all = statuses.all()) {
            while (all.hasNext()) {
                KeyValue<String, RequestStatus> kv = all.next();
                if (StatusTransitions.isFinal(kv.value)
                        && kv.value.getUpdatedAt().toEpochMilli() < now - retention.toMillis()) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(statuses::delete);
    }

    private void cancel(String requestId) {
        Assembly assembly = running.remove(requestId);
        if (assembly != null) {
            assembly.cancel();
        }
    }

    @Override
    public void close() {
        // The task moves elsewhere or the app stops: whoever owns it next resumes from the store.
        running.values().forEach(Assembly::cancel);
        running.clear();
    }
}
