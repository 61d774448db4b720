package io.loopline.mux.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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

import io.loopline.core.config.RetryPolicy;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.Faults;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.metrics.StageMetrics;
import io.loopline.schemas.Topics;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;

/**
 * Mux's Streams processor, one per input partition: keeps each request's status and its rendered
 * segments in state stores (duplicates collapse on the segment's key), and once every segment is
 * there hands the assembly to a thread pool so the Streams thread never blocks. A punctuator picks
 * up finished assemblies and emits {@code videos.completed} (or {@code requests.failed}) together
 * with the status change — in the same Streams transaction, so exactly once. If the instance dies
 * mid-assembly, the restored store still says "assembling" and {@link #init} starts it again; the
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

    /** What an assembly ended with. */
    private record Outcome(VideoCompleted completed, RequestFailed failed) {
    }

    private final VideoAssembler assembler;
    private final ExecutorService executor;
    private final RetryPolicy retry;
    private final Duration retention;
    private final Map<String, Future<Outcome>> running = new HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, RequestStatus> statuses;
    private KeyValueStore<String, SegmentRendered> segments;

    public RequestTracker(VideoAssembler assembler, ExecutorService executor, RetryPolicy retry, Duration retention) {
        this.assembler = assembler;
        this.executor = executor;
        this.retry = retry;
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
            launch(status.getRequestId());
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
            if (segments.get(key) == null) {
                segments.put(key, s);
            }
            int done = storedSegments(requestId).size();
            next = StatusTransitions.rendered(current, s, done, now);
            if (StatusTransitions.isAssembling(next)) {
                update(requestId, current, next, record.timestamp());
                launch(requestId);
                return;
            }
        } else {
            log.warn("Ignoring a {} for {}", value.getClass().getSimpleName(), requestId);
            return;
        }
        update(requestId, current, next, record.timestamp());
    }

    /** Forwards an event to {@code sink}, which writes {@code topic}, and counts it out. */
    private void emit(String requestId, SpecificRecord value, long timestamp, String sink, io.loopline.schemas.TopicSpec<?> topic) {
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
        try (KeyValueIterator<String, SegmentRendered> it = segments.prefixScan(requestId + "/", new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private void deleteSegments(String requestId) {
        storedSegments(requestId).forEach(kv -> segments.delete(kv.key));
    }

    private void launch(String requestId) {
        if (running.containsKey(requestId)) {
            return;
        }
        List<SegmentRendered> set = storedSegments(requestId).stream().map(kv -> kv.value).toList();
        running.put(requestId, executor.submit(() -> assembleWithRetries(set)));
    }

    private Outcome assembleWithRetries(List<SegmentRendered> set) throws InterruptedException {
        SegmentRendered first = set.get(0);
        for (int attempt = 1; ; attempt++) {
            try {
                return new Outcome(assembler.assemble(set), null);
            } catch (InterruptedException e) {
                throw e;
            } catch (ObjectNotFoundException e) {
                return new Outcome(null, failure(first, ErrorCode.INPUT_NOT_FOUND, "A stored intermediate of this request is gone ("
                    + e.getMessage() + "); submit the request again.", false, attempt));
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("Assembly of " + first.getRequestId() + " stopped");
                }
                if (Faults.isTransient(e) && retry.retriesAfter(attempt)) {
                    long waitMs = retry.backoffAfter(attempt).toMillis();
                    log.warn("Assembly of {}: attempt {} met a transient fault, retrying in {} ms: {}", first.getRequestId(), attempt, waitMs, e.toString());
                    Thread.sleep(waitMs);
                    continue;
                }
                if (Faults.isTransient(e)) {
                    return new Outcome(null, failure(first, ErrorCode.RETRIES_EXHAUSTED, Faults.retriesExhausted(Stage.MUX, attempt), true, attempt));
                }
                log.error("Assembly of {} failed", first.getRequestId(), e);
                return new Outcome(null, failure(first, ErrorCode.INTERNAL_ERROR, Faults.internalError(Stage.MUX, first.getRequestId()), false, attempt));
            }
        }
    }

    private static RequestFailed failure(SegmentRendered s, ErrorCode code, String message, boolean retryable, int attempts) {
        return Faults.failure(s, Stage.MUX, code, message, retryable, attempts, Map.of());
    }

    /** On the Streams thread: emits what finished assemblies produced, with their status. */
    private void collectFinished() {
        for (Iterator<Map.Entry<String, Future<Outcome>>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Future<Outcome>> entry = it.next();
            if (!entry.getValue().isDone()) {
                continue;
            }
            it.remove();
            String requestId = entry.getKey();
            Outcome outcome;
            try {
                outcome = entry.getValue().get();
            } catch (CancellationException | InterruptedException e) {
                continue;
            } catch (ExecutionException e) {
                log.error("Assembly of {} failed unexpectedly", requestId, e.getCause());
                continue;
            }
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
                StageMetrics.recordsFailed(Stage.MUX, outcome.failed().getErrorCode()).increment();
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
                if (StatusTransitions.isFinal(kv.value) && kv.value.getUpdatedAt().toEpochMilli() < now - retention.toMillis()) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(statuses::delete);
    }

    private void cancel(String requestId) {
        Future<Outcome> f = running.remove(requestId);
        if (f != null) {
            f.cancel(true);
        }
    }

    @Override
    public void close() {
        // The task moves elsewhere or the app stops: whoever owns it next resumes from the store.
        running.values().forEach(f -> f.cancel(true));
        running.clear();
    }
}
