package io.loopline.core.kafka;

import io.loopline.core.concurrent.DaemonThreads;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.internals.RecordHandler;
import io.loopline.core.service.Service;
import io.loopline.events.Stage;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consume → process → produce worker: the loop every stage reuses.
 *
 * <ul>
 *   <li>At least once: an input's offset is committed only after everything it produced is
 *       acknowledged by the brokers (idempotent producer, {@code acks=all}).</li>
 *   <li>Long work never trips {@code max.poll.interval.ms}: the record is processed on a separate
 *       thread while this one keeps polling with the partitions paused.</li>
 *   <li>Transient faults are retried with backoff; permanent ones and exhausted retries become a
 *       {@code requests.failed} event; records that cannot even be decoded go, with their original
 *       bytes, to the topic's dead-letter topic. In every case consumption continues.</li>
 *   <li>{@link #stop()} lets a record in progress finish (up to the shutdown timeout) or abandons it
 *       uncommitted, so that another worker gets it again.</li>
 * </ul>
 * Scale by running more workers (threads or processes) in the same group, up to the partition count.
 */
public final class StageWorker<V extends SpecificRecord> implements Service {

    private static final Logger log = LoggerFactory.getLogger(StageWorker.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration PROCESSING_EXIT_WAIT = Duration.ofSeconds(60);
    private static final Duration LEAVING_COMMIT_WAIT = Duration.ofSeconds(5);

    private final LooplineConfig config;
    private final Topic<V> input;
    private final EventDeserializer<V> values;
    private final String name;
    private final RecordHandler<V> handler;
    private final StageProcessor<V> processor;
    private final DeadLetterPublisher deadLetters;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService processing;

    private volatile boolean running;
    private volatile Thread pollThread;
    private KafkaConsumer<byte[], byte[]> consumer;

    // Poll-thread state.
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** Offsets to commit that the group refused while it rebalanced: committed after a poll, if still ours. */
    private final Map<TopicPartition, Long> commitsAfterRebalance = new HashMap<>();

    private InFlight current;
    private long notBeforeNanos;
    private int consecutivePublishFailures;

    /** Records processed together (one, or a batch from the front of the buffer) and their outcome. */
    private record InFlight(List<ConsumerRecord<byte[], byte[]>> records, Future<?> outcome) {
        /** The lowest and highest offset of each partition in the batch. */
        Map<TopicPartition, long[]> offsets() {
            Map<TopicPartition, long[]> out = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                out.merge(new TopicPartition(r.topic(), r.partition()), new long[] {r.offset(), r.offset()}, (a, b) ->
                        new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            return out;
        }

        boolean touches(Collection<TopicPartition> partitions) {
            return offsets().keySet().stream().anyMatch(partitions::contains);
        }

        String describe() {
            return offsets().entrySet().stream()
                    .map(e -> e.getKey() + "@" + e.getValue()[0]
                            + (e.getValue()[1] > e.getValue()[0] ? ".." + e.getValue()[1] : ""))
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * @param config    the service's configuration (group id, retries, timeouts, Kafka, serdes)
     * @param stage     the stage named in failure events
     * @param inputSpec the catalog topic consumed
     * @param processor the stage's work
     */
    public StageWorker(LooplineConfig config, Stage stage, TopicSpec<V> inputSpec, StageProcessor<V> processor) {
        this.config = config;
        TopicCatalog catalog = config.topicCatalog();
        this.input = catalog.topic(inputSpec);
        this.values = new EventDeserializer<>(input.valueSerde().deserializer());
        this.name = config.service() + "-worker-" + INSTANCES.incrementAndGet();
        this.producer = new KafkaProducer<>(producerConfigs(), new ByteArraySerializer(), new ByteArraySerializer());
        this.processor = processor;
        this.handler = new RecordHandler<>(catalog, stage, processor, producer, config.retryPolicy());
        this.deadLetters = new DeadLetterPublisher(producer, config.groupId());
        this.processing = DaemonThreads.single(name + "-processing");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start() {
        if (pollThread != null) {
            return;
        }
        running = true;
        consumer = new KafkaConsumer<>(consumerConfigs(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Thread t = new Thread(this::pollLoop, name + "-poll");
        pollThread = t;
        t.start();
    }

    @Override
    public boolean isRunning() {
        Thread t = pollThread;
        return running && t != null && t.isAlive();
    }

    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = pollThread;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(config.shutdownTimeout().toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processing.shutdownNow();
        try {
            // An abandoned record may still be inside native code (a model run) that ignores interrupts: wait for
            // it, so that whoever owns that code's resources does not release them under it.
            if (!processing.awaitTermination(PROCESSING_EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{}: the processing thread is still busy after {} s", name, PROCESSING_EXIT_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    /** Whether the processing thread has ended (after {@link #stop()}): nothing of this worker still runs. */
    public boolean isTerminated() {
        return processing.isTerminated();
    }

    private Map<String, Object> producerConfigs() {
        Map<String, Object> p = new HashMap<>(config.kafkaClientConfigs());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-producer");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        return p;
    }

    private Map<String, Object> consumerConfigs() {
        Map<String, Object> c = new HashMap<>(config.kafkaClientConfigs());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // A client.id given under kafka.client.* (say, the pod's name) prefixes the worker's own.
        Object prefix = c.get(ConsumerConfig.CLIENT_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, (prefix == null ? "" : prefix + "-") + name + "-consumer");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, config.maxPollIntervalMs());
        // Records wait in our buffer while one is processed; a small batch keeps redelivery after a crash small.
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
        // Fetch a few records per partition at a time (events are a few KB): a partition this worker has just taken
        // over waits behind a screenful of its old partition's records, not behind all of them.
        c.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        // A dead worker is noticed after the session timeout, not Kafka's 45 s default; heartbeats every third of it
        // (unless kafka.client.* says otherwise). Cooperative rebalancing: the others keep their partitions meanwhile.
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.sessionTimeoutMs());
        c.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, config.sessionTimeoutMs() / 3);
        c.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.instanceId().ifPresent(id -> c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "-" + name));
        return c;
    }

    private void pollLoop() {
        log.info("{} consuming {} as group {}", name, input.name(), config.groupId());
        try {
            consumer.subscribe(List.of(input.name()), new Rebalance());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(config.pollTimeout())) {
                    pending.add(record);
                }
                if (!commitsAfterRebalance.isEmpty()) {
                    commitKept(assigned);
                }
                if (current != null && current.outcome().isDone()) {
                    finish(current);
                    current = null;
                }
                if (current == null && System.nanoTime() >= notBeforeNanos) {
                    startNext();
                }
                adjustPause();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("{} stopped by an unexpected error", name, e);
        } finally {
            running = false;
            shutdown();
        }
    }

    /**
     * Starts processing the next decodable record — with the compatible records right behind it when
     * the processor batches; undecodable ones go to the dead-letter topic on the way.
     */
    private void startNext() {
        while (current == null && !pending.isEmpty()) {
            ConsumerRecord<byte[], byte[]> record = pending.poll();
            InboundEvent<V> event = decode(record);
            if (event == null) {
                continue;
            }
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(List.of(record));
            List<InboundEvent<V>> events = new ArrayList<>(List.of(event));
            if (processor instanceof BatchStageProcessor<V> batching) {
                // Only a prefix of the buffer joins, so that every partition's offsets are still committed in order.
                while (events.size() < batching.maxBatch() && !pending.isEmpty()) {
                    ConsumerRecord<byte[], byte[]> next = pending.peek();
                    InboundEvent<V> nextEvent = assigned.contains(new TopicPartition(next.topic(), next.partition()))
                            ? decodeQuietly(next)
                            : null;
                    if (nextEvent == null || !batching.compatible(event, nextEvent)) {
                        break;
                    }
                    pending.poll();
                    records.add(next);
                    events.add(nextEvent);
                }
            }
            current = new InFlight(records, processing.submit(() -> {
                handler.handleBatch(events);
                return null;
            }));
        }
    }

    /** The record as an event, or null (after dead-lettering it) when it cannot be decoded or is no longer ours. */
    private InboundEvent<V> decode(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (!assigned.contains(tp)) {
            return null;
        }
        try {
            return decodeOrThrow(record);
        } catch (RuntimeException e) {
            deadLetter(record, tp, e);
            return null;
        }
    }

    /** The record as an event, or null when it cannot be decoded (it is dead-lettered when it comes first). */
    private InboundEvent<V> decodeQuietly(ConsumerRecord<byte[], byte[]> record) {
        try {
            return decodeOrThrow(record);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private InboundEvent<V> decodeOrThrow(ConsumerRecord<byte[], byte[]> record) {
        String key =
                record.key() == null ? null : input.keySerde().deserializer().deserialize(record.topic(), record.key());
        V value = values.deserialize(record.topic(), record.headers(), record.value());
        return new InboundEvent<>(record.topic(), record.partition(), record.offset(), key, value, record.headers(), 1);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, TopicPartition tp, RuntimeException cause) {
        log.warn(
                "{}: record {}-{}@{} cannot be decoded, sending it to {}: {}",
                name,
                record.topic(),
                record.partition(),
                record.offset(),
                input.dlqName(),
                cause.getMessage());
        try {
            deadLetters.publish(record, input.dlqName(), cause);
            commit(tp, record.offset());
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            onPublishFailure(new InFlight(List.of(record), CompletableFuture.completedFuture(null)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void finish(InFlight done) {
        try {
            done.outcome().get();
            consecutivePublishFailures = 0;
            done.offsets().forEach((tp, range) -> {
                if (assigned.contains(tp)) {
                    commit(tp, range[1]);
                } else {
                    log.info(
                            "{}: partition {} was revoked while offset {} was processed; its new owner processes it again",
                            name,
                            tp,
                            range[0]);
                }
            });
        } catch (ExecutionException e) {
            onPublishFailure(done, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (CancellationException e) {
            log.info("{}: processing of {} was cancelled; it is not committed", name, done.describe());
        }
    }

    /** Outputs could not be published: nothing is committed, the records are read again after a backoff. */
    private void onPublishFailure(InFlight done, Throwable cause) {
        consecutivePublishFailures++;
        Duration backoff = config.retryPolicy().backoffAfter(consecutivePublishFailures);
        log.warn(
                "{}: could not publish the results of {}; processing again in {} ms: {}",
                name,
                done.describe(),
                backoff.toMillis(),
                String.valueOf(cause));
        notBeforeNanos = System.nanoTime() + backoff.toNanos();
        done.offsets().forEach((tp, range) -> {
            if (assigned.contains(tp)) {
                pending.removeIf(r -> r.topic().equals(tp.topic()) && r.partition() == tp.partition());
                consumer.seek(tp, range[0]);
            }
        });
    }

    private void commit(TopicPartition tp, long offset) {
        commitsAfterRebalance.merge(tp, offset + 1, Math::max);
        commitKept(List.of(tp));
    }

    /**
     * Commits the kept offsets of these partitions. A group that is rebalancing refuses commits until a poll has
     * finished the rebalance; the partitions usually stay ours (cooperative rebalancing), so the offsets are kept
     * and committed after the next poll rather than having their records delivered again.
     */
    private void commitKept(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        commitsAfterRebalance.forEach((tp, next) -> {
            if (partitions.contains(tp)) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            offsets.keySet().forEach(commitsAfterRebalance::remove);
        } catch (RebalanceInProgressException e) {
            log.debug("{}: commit of {} waits for the group's rebalance to finish", name, offsets);
        } catch (WakeupException e) {
            // stop() woke the consumer up during the commit: the offsets are committed before it leaves.
            log.debug("{}: commit of {} interrupted by stop()", name, offsets);
        } catch (KafkaException e) {
            // E.g. this member was removed from the group: the new owner starts from the last committed offset.
            offsets.keySet().forEach(commitsAfterRebalance::remove);
            log.warn(
                    "{}: commit of {} failed ({}); those records will be delivered again", name, offsets, e.toString());
        }
    }

    /** Paused while busy so that polling only keeps the membership alive; resumed when idle. */
    private void adjustPause() {
        Set<TopicPartition> assignment = consumer.assignment();
        if (current != null || !pending.isEmpty()) {
            consumer.pause(assignment);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Offsets kept while the group rebalanced (another worker of a scale-down leaving first, say) are committed
     * before this worker leaves: polling, with nothing fetched, lets the rebalance finish, for a few seconds at most.
     */
    private void commitBeforeLeaving() {
        long deadline = System.nanoTime() + LEAVING_COMMIT_WAIT.toNanos();
        pending.clear();
        try {
            while (!commitsAfterRebalance.isEmpty() && System.nanoTime() < deadline) {
                consumer.pause(consumer.assignment());
                consumer.poll(
                        Duration.ofMillis(100)); // partitions assigned meanwhile may return records: never committed
                commitKept(assigned);
            }
        } catch (KafkaException e) { // a wakeup among them
            log.debug("{}: could not finish the rebalance before leaving: {}", name, e.toString());
        }
    }

    private void shutdown() {
        try {
            if (current != null) {
                try {
                    current.outcome().get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    log.info("{}: abandoning {} uncommitted; another worker will process it", name, current.describe());
                    current.outcome().cancel(true);
                } catch (ExecutionException | CancellationException ignored) {
                    // finish() reports it.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (current.outcome().isDone() && !current.outcome().isCancelled()) {
                    finish(current);
                }
                current = null;
            }
            commitBeforeLeaving();
        } finally {
            try {
                // Stopped on purpose (scale-down, rolling update): leave, static member or not, so the partitions
                // move now rather than after the session timeout.
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                log.warn("{}: consumer did not close cleanly: {}", name, e.toString());
            }
            log.info("{} stopped", name);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (current != null && current.touches(partitions)) {
                // Give the record in progress a chance to finish and be committed before the partition moves.
                try {
                    current.outcome().get(Math.min(config.shutdownTimeout().toMillis(), 10_000), TimeUnit.MILLISECONDS);
                    finish(current);
                    current = null;
                } catch (TimeoutException e) {
                    log.info(
                            "{}: {} revoked while {} is in progress; it will not be committed here",
                            name,
                            partitions,
                            current.describe());
                } catch (ExecutionException | CancellationException e) {
                    finish(current);
                    current = null;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // The group lets a member commit for the partitions it gives up while it gives them up.
            commitKept(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            if (current != null || !pending.isEmpty()) {
                consumer.pause(partitions);
            }
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.stream()
                    .filter(commitsAfterRebalance::containsKey)
                    .forEach(tp -> log.warn(
                            "{}: {} is no longer ours before offset {} was committed; records from there will be delivered again",
                            name,
                            tp,
                            commitsAfterRebalance.remove(tp)));
            assigned.removeAll(partitions);
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
