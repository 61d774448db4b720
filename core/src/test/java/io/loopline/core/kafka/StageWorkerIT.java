package io.loopline.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.storage.StorageSettings;
import io.loopline.core.storage.StorageUnavailableException;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.embedded.EmbeddedS3;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.ObjectRef;
import io.loopline.events.Priority;
import io.loopline.events.RequestFailed;
import io.loopline.events.Stage;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stage worker against a real in-process Kafka broker and S3 server: delivery, dead letters,
 * retries, failure events, redelivery after a worker dies mid-record, and long processing.
 */
class StageWorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static EmbeddedInfrastructure infra;
    private final List<StageWorker<?>> workers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startInfrastructure() {
        infra = EmbeddedInfrastructure.start();
    }

    @AfterAll
    static void stopInfrastructure() {
        infra.close();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(StageWorker::stop);
    }

    private static LooplineConfig config(Map<String, String> overrides) {
        LooplineConfig config = new LooplineConfig("ingest", TestClusters.settings(infra, "ingest", overrides));
        TopicAdmin.ensureTopics(config);
        return config;
    }

    private StageWorker<GenerationRequest> worker(LooplineConfig config, StageProcessor<GenerationRequest> processor) {
        StageWorker<GenerationRequest> worker = new StageWorker<>(config, Stage.INGEST, Topics.REQUESTS, processor);
        workers.add(worker);
        worker.start();
        return worker;
    }

    /** A processor that answers each request with a MediaValidated built from it. */
    private static List<OutboundEvent<?>> validated(InboundEvent<GenerationRequest> in) {
        GenerationRequest r = in.value();
        MediaValidated out = MediaValidated.newBuilder(SampleEvents.mediaValidated())
                .setRequestId(r.getRequestId())
                .setTenant(r.getTenant())
                .setRequestedAt(r.getRequestedAt())
                .setOptions(r.getOptions())
                .build();
        return List.of(OutboundEvent.of(Topics.MEDIA_VALIDATED, r.getRequestId(), out));
    }

    private static void publish(LooplineConfig config, GenerationRequest request) {
        TestClusters.publish(config, Topics.REQUESTS, request.getRequestId(), request);
    }

    private static <V extends SpecificRecord> List<V> read(LooplineConfig config, TopicSpec<V> spec, int atLeast) {
        Topic<V> topic = config.topicCatalog().topic(spec);
        return TestClusters.read(config, topic.name(), atLeast, WAIT).stream()
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .toList();
    }

    @Test
    void topicsAreCreatedIdempotentlyAndEveryEventRoundTripsThroughTheBroker() {
        LooplineConfig config = new LooplineConfig("ingest", TestClusters.settings(infra, "ingest", Map.of()));
        TopicCatalog catalog = config.topicCatalog();
        assertThat(TopicAdmin.ensureTopics(config))
                .hasSize(Topics.ALL.size() * 2)
                .contains(catalog.name(Topics.RENDER_TASKS), catalog.name(Topics.REQUESTS) + ".dlq");
        assertThat(TopicAdmin.ensureTopics(config))
                .as("second run creates nothing")
                .isEmpty();

        for (Map.Entry<TopicSpec<?>, SpecificRecord> e :
                SampleEvents.oneOfEach().entrySet()) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Topic<SpecificRecord> topic = (Topic) catalog.topic(e.getKey());
            TestClusters.send(
                    config,
                    topic.name(),
                    "r1".getBytes(StandardCharsets.UTF_8),
                    topic.valueSerde().serializer().serialize(topic.name(), e.getValue()));
            List<ConsumerRecord<byte[], byte[]>> records = TestClusters.read(config, topic.name(), 1, WAIT);
            assertThat(records).hasSize(1);
            assertThat(topic.valueSerde()
                            .deserializer()
                            .deserialize(topic.name(), records.get(0).value()))
                    .as(topic.name())
                    .isEqualTo(e.getValue());
        }
    }

    /**
     * Sends {@code bad} to requests under {@code key}, then a good request {@code nextId}, and runs a worker: the good
     * one is processed and the bad one is the single dead letter, byte for byte. Returns that letter.
     */
    private ConsumerRecord<byte[], byte[]> deadLetteredBeforeTheNext(
            LooplineConfig config, String key, byte[] bad, String nextId) {
        String requests = config.topicCatalog().name(Topics.REQUESTS);
        TestClusters.send(config, requests, key.getBytes(StandardCharsets.UTF_8), bad);
        publish(config, SampleEvents.request("acme", nextId));
        worker(config, StageWorkerIT::validated);

        List<MediaValidated> out = read(config, Topics.MEDIA_VALIDATED, 1);
        assertThat(out).extracting(MediaValidated::getRequestId).containsExactly(nextId);
        List<ConsumerRecord<byte[], byte[]>> letters = TestClusters.read(config, requests + ".dlq", 1, WAIT);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).value()).isEqualTo(bad);
        return letters.get(0);
    }

    @Test
    void garbageGoesToTheDeadLetterTopicAndConsumptionContinues() {
        LooplineConfig config = config(Map.of());
        String requests = config.topicCatalog().name(Topics.REQUESTS);
        byte[] garbage = "{\"this\": \"is not avro\"}".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> letter = deadLetteredBeforeTheNext(config, "bad-1", garbage, "good-1");

        assertThat(letter.key()).isEqualTo("bad-1".getBytes(StandardCharsets.UTF_8));
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(requests);
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(letter, DeadLetterHeaders.CONSUMER_GROUP)).isEqualTo(config.groupId());
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE)).contains("not Avro single-object encoded");
    }

    @Test
    void aRecordClaimingTwoGigabytesIsDeadLetteredAndConsumptionContinues() {
        LooplineConfig config = config(Map.of());
        byte[] poison = SampleEvents.claimingTwoGigabytes(GenerationRequest.class);
        ConsumerRecord<byte[], byte[]> letter = deadLetteredBeforeTheNext(config, "claims-2g", poison, "after-poison");

        assertThat(header(letter, DeadLetterHeaders.EXCEPTION_MESSAGE))
                .contains("could not be decoded as io.loopline.events.GenerationRequest");
    }

    @Test
    void aRecordOfAnOlderSchemaVersionIsProcessedByTodaysWorker() {
        LooplineConfig config = config(Map.of());
        byte[] bytes = SampleEvents.requestWrittenWithVersion1("acme", "v1-request", "PORTRAIT", 512, 3);
        TestClusters.send(
                config,
                config.topicCatalog().name(Topics.REQUESTS),
                "v1-request".getBytes(StandardCharsets.UTF_8),
                bytes);

        List<GenerationRequest> seen = new CopyOnWriteArrayList<>();
        worker(config, in -> {
            seen.add(in.value());
            return validated(in);
        });
        assertThat(read(config, Topics.MEDIA_VALIDATED, 1))
                .extracting(MediaValidated::getRequestId)
                .containsExactly("v1-request");
        assertThat(seen).singleElement().satisfies(r -> {
            assertThat(r.getOptions().getSeed()).isEqualTo(3L);
            assertThat(r.getOptions().getPriority()).isEqualTo(Priority.NORMAL);
        });
    }

    @Test
    void aTransientFaultIsRetriedAndThenSucceeds() {
        LooplineConfig config = config(Map.of());
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        publish(config, SampleEvents.request("acme", "flaky-1"));
        worker(config, in -> {
            attempts.add(in.attempt());
            if (in.attempt() < 3) {
                throw new StorageUnavailableException("storage is restarting", new ConnectException("refused"));
            }
            return validated(in);
        });
        assertThat(read(config, Topics.MEDIA_VALIDATED, 1))
                .extracting(MediaValidated::getRequestId)
                .containsExactly("flaky-1");
        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(TestClusters.read(
                        config, config.topicCatalog().name(Topics.REQUESTS_FAILED), 0, Duration.ofMillis(300)))
                .isEmpty();
    }

    @Test
    void aRealStorageOutageIsRiddenOutByRetries() throws Exception {
        LooplineConfig config = config(Map.of(LooplineConfig.RETRY_MAX_ATTEMPTS, "40"));
        try (EmbeddedS3 flaky = EmbeddedS3.inTemporaryDirectory().start()) {
            ObjectStore store = new ObjectStore(new StorageSettings(
                    flaky.endpoint(),
                    flaky.region(),
                    flaky.accessKey(),
                    flaky.secretKey(),
                    "loopline-inputs",
                    "loopline-work",
                    "loopline-outputs",
                    true));
            store.ensureBuckets();
            flaky.stop();
            List<Integer> attempts = new CopyOnWriteArrayList<>();
            publish(config, SampleEvents.request("acme", "outage-1"));
            worker(config, in -> {
                attempts.add(in.attempt());
                store.put(
                        store.workBucket(),
                        "acme/outage-1/ingest/out.bin",
                        new byte[] {1, 2, 3},
                        "application/octet-stream");
                return validated(in);
            });
            await().atMost(WAIT).until(() -> attempts.size() >= 2);
            flaky.start(); // same port, same folder: the store is back
            assertThat(read(config, Topics.MEDIA_VALIDATED, 1))
                    .extracting(MediaValidated::getRequestId)
                    .containsExactly("outage-1");
            assertThat(attempts).hasSizeGreaterThan(1);
            assertThat(store.list(store.workBucket(), "acme/outage-1/"))
                    .containsExactly("acme/outage-1/ingest/out.bin");
        }
    }

    @Test
    void transientFaultsThatOutlastTheRetriesBecomeARetryableFailure() {
        LooplineConfig config = config(Map.of(LooplineConfig.RETRY_MAX_ATTEMPTS, "3"));
        AtomicInteger calls = new AtomicInteger();
        publish(config, SampleEvents.request("acme", "down-1"));
        worker(config, in -> {
            calls.incrementAndGet();
            throw new StorageUnavailableException("storage is down", null);
        });
        RequestFailed failed = read(config, Topics.REQUESTS_FAILED, 1).get(0);
        assertThat(failed.getRequestId()).isEqualTo("down-1");
        assertThat(failed.getErrorCode()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED.name());
        assertThat(failed.getRetryable()).isTrue();
        assertThat(failed.getAttempts()).isEqualTo(3);
        assertThat(failed.getStage()).isEqualTo(Stage.INGEST);
        assertThat(calls).hasValue(3);
    }

    @Test
    void aPermanentFaultProducesOneFailureEventAndTheNextRecordIsProcessed() {
        LooplineConfig config = config(Map.of());
        AtomicInteger calls = new AtomicInteger();
        publish(config, SampleEvents.request("acme", "bad-ref"));
        publish(config, SampleEvents.request("acme", "fine"));
        publish(config, SampleEvents.request("acme", "bug"));
        worker(config, in -> {
            calls.incrementAndGet();
            if (in.value().getRequestId().equals("bad-ref")) {
                throw new RequestRejectedException(
                        ErrorCode.REF_FORBIDDEN, "The image key is outside tenant \"acme\"'s prefix.");
            }
            if (in.value().getRequestId().equals("bug")) {
                throw new NullPointerException("a bug");
            }
            return validated(in);
        });
        List<RequestFailed> failures = read(config, Topics.REQUESTS_FAILED, 2);
        assertThat(failures).extracting(RequestFailed::getRequestId).containsExactlyInAnyOrder("bad-ref", "bug");
        RequestFailed rejected = failures.stream()
                .filter(f -> f.getRequestId().equals("bad-ref"))
                .findFirst()
                .orElseThrow();
        assertThat(rejected.getErrorCode()).isEqualTo("REF_FORBIDDEN");
        assertThat(rejected.getMessage()).isEqualTo("The image key is outside tenant \"acme\"'s prefix.");
        assertThat(rejected.getRetryable()).isFalse();
        assertThat(rejected.getTenant()).isEqualTo("acme");
        assertThat(rejected.getRequestedAt()).isEqualTo(SampleEvents.REQUESTED_AT);
        RequestFailed bug = failures.stream()
                .filter(f -> f.getRequestId().equals("bug"))
                .findFirst()
                .orElseThrow();
        assertThat(bug.getErrorCode()).isEqualTo("INTERNAL_ERROR");
        assertThat(read(config, Topics.MEDIA_VALIDATED, 1))
                .extracting(MediaValidated::getRequestId)
                .containsExactly("fine");
        assertThat(calls).as("no retries of permanent faults").hasValue(3);
    }

    /** Batches of compatible requests (same tenant); a batch holding "poison" fails and is redone one by one. */
    private static final class TenantBatches implements BatchStageProcessor<GenerationRequest> {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @Override
        public int maxBatch() {
            return 4;
        }

        @Override
        public boolean compatible(InboundEvent<GenerationRequest> first, InboundEvent<GenerationRequest> next) {
            return first.value().getTenant().equals(next.value().getTenant());
        }

        @Override
        public List<List<OutboundEvent<?>>> processBatch(List<InboundEvent<GenerationRequest>> events) {
            batchSizes.add(events.size());
            if (events.stream().anyMatch(e -> e.value().getRequestId().equals("poison"))) {
                throw new IllegalStateException("one bad event in the batch");
            }
            return events.stream().map(StageWorkerIT::validated).toList();
        }

        @Override
        public List<OutboundEvent<?>> process(InboundEvent<GenerationRequest> event) throws Exception {
            batchSizes.add(1);
            if (event.value().getRequestId().equals("poison")) {
                throw new RequestRejectedException(ErrorCode.OPTION_INVALID, "Poison.");
            }
            return validated(event);
        }
    }

    @Test
    void waitingCompatibleRecordsAreProcessedInBatchesAndABadBatchFallsBackToSingles() {
        LooplineConfig config = config(Map.of());
        for (int i = 0; i < 6; i++) {
            publish(config, SampleEvents.request("acme", "a-" + i));
        }
        publish(config, SampleEvents.request("other", "o-1"));
        publish(config, SampleEvents.request("other", "poison"));
        publish(config, SampleEvents.request("other", "o-2"));
        TenantBatches processor = new TenantBatches();
        worker(config, processor);
        List<MediaValidated> done = read(config, Topics.MEDIA_VALIDATED, 8);
        assertThat(done)
                .extracting(MediaValidated::getRequestId)
                .containsExactlyInAnyOrder("a-0", "a-1", "a-2", "a-3", "a-4", "a-5", "o-1", "o-2");
        assertThat(read(config, Topics.REQUESTS_FAILED, 1))
                .extracting(RequestFailed::getRequestId)
                .containsExactly("poison");
        assertThat(processor.batchSizes)
                .as("batches of up to 4, never mixing tenants")
                .anyMatch(n -> n > 1)
                .allMatch(n -> n <= 4);
        // Everything is committed: a new worker in the group finds nothing left to do.
        workers.forEach(StageWorker::stop);
        TenantBatches second = new TenantBatches();
        worker(config, second);
        Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        assertThat(read(config, Topics.MEDIA_VALIDATED, 8)).hasSize(8);
        assertThat(second.batchSizes).isEmpty();
    }

    @Test
    void aWorkerClosedMidRecordCausesRedeliveryWithoutDuplicatingTheStoredOutput() throws Exception {
        LooplineConfig config = config(Map.of(LooplineConfig.WORKER_SHUTDOWN_TIMEOUT_MS, "0"));
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        publish(config, SampleEvents.request("acme", "crash-1"));

        CountDownLatch firstStarted = new CountDownLatch(1);
        AtomicInteger processed = new AtomicInteger();
        StageProcessor<GenerationRequest> writesThenPublishes = in -> {
            String key = ObjectKeys.derived(
                    in.value().getTenant(), in.value().getRequestId(), Stage.INGEST, "normalized.bin");
            ObjectRef stored = store.put(
                    store.workBucket(),
                    key,
                    ("frames of " + in.value().getRequestId()).getBytes(StandardCharsets.UTF_8),
                    "application/octet-stream");
            if (processed.incrementAndGet() == 1) {
                firstStarted.countDown();
                Thread.sleep(Duration.ofMinutes(5).toMillis()); // dies here, before publishing
            }
            MediaValidated out = MediaValidated.newBuilder(SampleEvents.mediaValidated())
                    .setRequestId(in.value().getRequestId())
                    .setTenant("acme")
                    .setImage(stored)
                    .build();
            return List.of(OutboundEvent.of(Topics.MEDIA_VALIDATED, in.value().getRequestId(), out));
        };

        StageWorker<GenerationRequest> first = worker(config, writesThenPublishes);
        assertThat(firstStarted.await(60, TimeUnit.SECONDS)).isTrue();
        first.stop();

        worker(config, writesThenPublishes);
        List<MediaValidated> out = read(config, Topics.MEDIA_VALIDATED, 1);
        assertThat(out).extracting(MediaValidated::getRequestId).containsExactly("crash-1");
        assertThat(processed).hasValue(2);
        assertThat(store.list(store.workBucket(), "acme/crash-1/"))
                .containsExactly("acme/crash-1/ingest/normalized.bin");
        assertThat(new String(store.readAllBytes(out.get(0).getImage()), StandardCharsets.UTF_8))
                .isEqualTo("frames of crash-1");
    }

    /**
     * A group member that stops polling holds a rebalance open; a record finished meanwhile cannot be committed
     * then, and must be committed once the rebalance ends rather than delivered again.
     */
    @Test
    void aRecordFinishedDuringARebalanceIsCommittedWhenItEnds() throws Exception {
        LooplineConfig config = config(Map.of(LooplineConfig.WORKER_SESSION_TIMEOUT_MS, "6000"));
        String requests = config.topicCatalog().name(Topics.REQUESTS);
        String elsewhere = config.topicCatalog().name(Topics.STATUS);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        // Members of the same group on another topic: they take none of the worker's partitions.
        try (KafkaConsumer<byte[], byte[]> idle = groupMember(config, elsewhere);
                KafkaConsumer<byte[], byte[]> joiner = groupMember(config, elsewhere);
                Admin admin = Admin.create(config.kafkaClientConfigs())) {
            worker(config, in -> {
                calls.incrementAndGet();
                started.countDown();
                release.await();
                return validated(in);
            });
            await().atMost(WAIT).until(() -> {
                idle.poll(Duration.ofMillis(100));
                return groupState(admin, config) == GroupState.STABLE
                        && !idle.assignment().isEmpty();
            });
            publish(config, SampleEvents.request("acme", "during-rebalance"));
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

            joiner.poll(Duration.ofMillis(200)); // asks to join; the idle member, not polling, holds the rebalance open
            await().atMost(WAIT).until(() -> groupState(admin, config) == GroupState.PREPARING_REBALANCE);
            Thread.sleep(4000); // the worker learns of it by its next heartbeat (every 2 s) and rejoins
            release.countDown();
            assertThat(read(config, Topics.MEDIA_VALIDATED, 1)).hasSize(1);
            assertThat(committed(admin, config, requests)).isZero();

            await().atMost(WAIT)
                    .until(
                            () -> { // the rebalance ends
                                idle.poll(Duration.ofMillis(100));
                                joiner.poll(Duration.ofMillis(100));
                                return groupState(admin, config) == GroupState.STABLE;
                            });
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(committed(admin, config, requests)).isEqualTo(1));
        }
        assertThat(calls).hasValue(1);
    }

    private static KafkaConsumer<byte[], byte[]> groupMember(LooplineConfig config, String topic) {
        Map<String, Object> props = new HashMap<>(config.kafkaClientConfigs());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static GroupState groupState(Admin admin, LooplineConfig config) throws Exception {
        return admin.describeConsumerGroups(List.of(config.groupId()))
                .describedGroups()
                .get(config.groupId())
                .get()
                .groupState();
    }

    /** The group's committed offsets on the topic, summed over its partitions. */
    private static long committed(Admin admin, LooplineConfig config, String topic) throws Exception {
        return admin
                .listConsumerGroupOffsets(config.groupId())
                .partitionsToOffsetAndMetadata()
                .get()
                .entrySet()
                .stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    @Test
    void processingLongerThanTheMaxPollIntervalDoesNotCauseARebalanceOrARepeat() {
        LooplineConfig config = config(Map.of(LooplineConfig.WORKER_MAX_POLL_INTERVAL_MS, "1000"));
        AtomicInteger calls = new AtomicInteger();
        publish(config, SampleEvents.request("acme", "slow-1"));
        publish(config, SampleEvents.request("acme", "slow-2"));
        worker(config, in -> {
            calls.incrementAndGet();
            Thread.sleep(2500); // 2.5 × max.poll.interval.ms
            return validated(in);
        });
        List<MediaValidated> out = read(config, Topics.MEDIA_VALIDATED, 2);
        assertThat(out).extracting(MediaValidated::getRequestId).containsExactly("slow-1", "slow-2");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(calls).hasValue(2));
    }

    @Test
    void traceContextTravelsFromInputToOutputs() {
        LooplineConfig config = config(Map.of());
        Topic<GenerationRequest> requests = config.topicCatalog().topic(Topics.REQUESTS);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Map<String, Object> props = new HashMap<>(config.kafkaClientConfigs());
        try (var producer =
                new KafkaProducer<byte[], byte[]>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            var record = new ProducerRecord<byte[], byte[]>(
                    requests.name(),
                    "traced".getBytes(StandardCharsets.UTF_8),
                    requests.valueSerde()
                            .serializer()
                            .serialize(requests.name(), SampleEvents.request("acme", "traced")));
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        worker(config, StageWorkerIT::validated);
        List<ConsumerRecord<byte[], byte[]>> out =
                TestClusters.read(config, config.topicCatalog().name(Topics.MEDIA_VALIDATED), 1, WAIT);
        assertThat(out)
                .singleElement()
                .satisfies(r -> assertThat(header(r, "traceparent")).isEqualTo(traceparent));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
