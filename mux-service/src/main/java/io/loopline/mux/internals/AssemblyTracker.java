package io.loopline.mux.internals;

import io.loopline.core.metrics.StageMetrics;
import io.loopline.events.RequestFailed;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.state.AssemblyPhase;
import io.loopline.state.AssemblyState;
import io.loopline.streams.PerRequestEntries;
import io.loopline.streams.StateStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mux's Streams processor, one per input partition: keeps each request's rendered segments in a state
 * store (duplicates collapse on the segment's key) with its {@link AssemblyState}, and feeds the
 * segments to the request's {@link Assembly}, which encodes on a thread pool so the Streams thread
 * never blocks. An assembly starts with a request's first stored segment while the pool allows early
 * ones (the video is then encoded while the rest renders), otherwise once every segment is there. A
 * punctuator picks up finished assemblies and emits {@code videos.completed} (or
 * {@code requests.failed}) together with the state change — in the same Streams transaction, so
 * exactly once. If the instance dies mid-assembly, the restored store still holds the segments:
 * {@link #init} starts the assemblies of complete requests again, and a request still rendering
 * starts again with its next segment; the upload overwrites the same object, and nothing was emitted
 * the first time. A request another stage failed is dropped: its assembly cancelled, its segments
 * deleted.
 */
public final class AssemblyTracker implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(AssemblyTracker.class);

    public static final String REQUEST_STORE = "mux-requests";
    public static final String SEGMENT_STORE = "mux-segments";
    public static final String COMPLETED_SINK = "completed-sink";
    public static final String FAILED_SINK = "failed-sink";
    public static final String STREAMING_SINK = "streaming-sink";

    private static final Duration COLLECT_EVERY = Duration.ofMillis(100);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final AssemblyPool pool;
    private final Duration retention;
    private final Map<String, Assembly> running = new HashMap<>();
    /** Requests whose stream this instance announced: once each (a resumed assembly may announce it again). */
    private final Set<String> announced = new HashSet<>();

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, AssemblyState> requests;
    private KeyValueStore<String, SegmentRendered> segments;

    public AssemblyTracker(AssemblyPool pool, Duration retention) {
        this.pool = pool;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.requests = context.getStateStore(REQUEST_STORE);
        this.segments = context.getStateStore(SEGMENT_STORE);
        context.schedule(COLLECT_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> collectFinished());
        context.schedule(PURGE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::purgeFinished);
        List<String> resume = new ArrayList<>();
        try (KeyValueIterator<String, AssemblyState> all = requests.all()) {
            all.forEachRemaining(kv -> {
                if (AssemblyStates.isAssembling(kv.value)) {
                    resume.add(kv.key);
                }
            });
        }
        for (String requestId : resume) {
            log.info("Resuming the assembly of {} (interrupted before it was emitted)", requestId);
            storedValues(requestId).stream().findFirst().ifPresent(any -> launch(requestId, any, true));
        }
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
        AssemblyState current = requests.get(requestId);
        if (value instanceof SegmentRendered s) {
            if (!AssemblyStates.isCollecting(current)) {
                return; // a re-render or a replay after the set was complete: nothing changes
            }
            String key = PerRequestEntries.key(requestId, s.getSegmentIndex());
            boolean added = segments.putIfAbsent(key, s) == null;
            AssemblyState next = AssemblyStates.stored(current, requestId, s, added, now);
            requests.put(requestId, next);
            Assembly assembly = running.get(requestId);
            if (assembly != null) {
                assembly.offer(s);
            } else {
                launch(requestId, s, AssemblyStates.isAssembling(next));
            }
        } else if (value instanceof RequestFailed) {
            // Another stage failed the request (or this one did, and reads its own event back).
            if (!AssemblyStates.isFinal(current)) {
                cancel(requestId);
                PerRequestEntries.deleteAll(segments, requestId);
                requests.put(requestId, AssemblyStates.ended(current, requestId, AssemblyPhase.FAILED, now));
            }
        } else {
            log.warn("Ignoring a {} for {}", value.getClass().getSimpleName(), requestId);
        }
    }

    /** Forwards an event to {@code sink}, which writes {@code topic}, and counts it out. */
    private void emit(String requestId, SpecificRecord value, long timestamp, String sink, TopicSpec<?> topic) {
        context.forward(new Record<String, SpecificRecord>(requestId, value, timestamp), sink);
        StageMetrics.recordsOut(Stage.MUX, topic.baseName()).increment();
    }

    private List<SegmentRendered> storedValues(String requestId) {
        return PerRequestEntries.of(segments, requestId).stream()
                .map(kv -> kv.value)
                .toList();
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

    /** On the Streams thread: emits what finished assemblies produced, with their state. */
    private void collectFinished() {
        for (Iterator<Map.Entry<String, Assembly>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Assembly> entry = it.next();
            String requestId = entry.getKey();
            entry.getValue().streaming().ifPresent(s -> {
                if (announced.add(requestId)) {
                    emit(requestId, s, context.currentSystemTimeMs(), STREAMING_SINK, Topics.VIDEOS_STREAMING);
                }
            });
            CompletableFuture<Assembly.Outcome> result = entry.getValue().outcome();
            if (!result.isDone()) {
                continue;
            }
            it.remove();
            announced.remove(requestId);
            if (result.isCancelled() || result.isCompletedExceptionally()) {
                continue;
            }
            Assembly.Outcome outcome = result.join();
            long now = context.currentSystemTimeMs();
            AssemblyState current = requests.get(requestId);
            if (!AssemblyStates.isAssembling(current)) {
                continue;
            }
            AssemblyPhase ended;
            if (outcome.completed() != null) {
                emit(requestId, outcome.completed(), now, COMPLETED_SINK, Topics.VIDEOS_COMPLETED);
                ended = AssemblyPhase.COMPLETED;
            } else {
                emit(requestId, outcome.failed(), now, FAILED_SINK, Topics.REQUESTS_FAILED);
                StageMetrics.recordsFailed(Stage.MUX, outcome.failed().getErrorCode())
                        .increment();
                ended = AssemblyPhase.FAILED;
            }
            PerRequestEntries.deleteAll(segments, requestId);
            requests.put(requestId, AssemblyStates.ended(current, requestId, ended, now));
        }
    }

    /** Forgets finished requests older than the retention, so the store does not grow forever. */
    private void purgeFinished(long now) {
        long before = now - retention.toMillis();
        StateStores.deleteWhere(
                requests,
                state -> AssemblyStates.isFinal(state) && state.getUpdatedAt().toEpochMilli() < before);
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
