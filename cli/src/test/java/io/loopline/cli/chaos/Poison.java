package io.loopline.cli.chaos;

import io.loopline.core.auth.RequestSignature;
import io.loopline.core.config.LooplineConfig;
import io.loopline.events.GenerationRequest;
import io.loopline.events.ObjectRef;
import io.loopline.events.RenderTask;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the suite throws at the pipeline besides its real requests: records no consumer can decode (each must be
 * dead-lettered by every group that reads the topic, quickly, without exhausting memory) and well-formed requests and
 * render tasks that must be refused (another tenant's key or objects, a path out of the tenant's prefix, a segment off
 * the plan).
 */
final class Poison implements AutoCloseable {

    /** The undecodable kinds, each on every {@link EventLog#POISONED} topic in turn. */
    enum Kind {
        /** The outside harness's 23-byte record: a valid header, then a string claiming 2^31 − 9 bytes. */
        CLAIMS_TWO_GIGABYTES,
        /** No value at all. */
        TOMBSTONE,
        /** Random bytes. */
        GARBAGE,
        /** A single-object header with a fingerprint of no schema the reader knows. */
        UNKNOWN_SCHEMA,
        /** A valid event cut in half. */
        TRUNCATED
    }

    /** An undecodable record as the broker stored it. */
    record Sent(Kind kind, String topic, int partition, long offset, long timestamp) {}

    /** A decodable record that must be refused: its request id must fail and never complete. */
    record Attack(String requestId, String what) {}

    private static final String KEY_PREFIX = "poison-";

    private final TopicCatalog catalog;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Random random;
    private int next;

    Poison(LooplineConfig client, long seed) {
        this.catalog = client.topicCatalog();
        Map<String, Object> props = new HashMap<>(client.kafkaClientConfigs());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "chaos-poison");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.random = new Random(seed);
    }

    /** Sends {@code count} undecodable records, kinds and topics taken in turn; returns where each was stored. */
    List<Sent> sendUndecodable(int count) throws InterruptedException, ExecutionException, TimeoutException {
        List<Kind> kinds = List.of(Kind.values());
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<Kind> sentKinds = new ArrayList<>();
        for (int i = 0; i < count; i++, next++) {
            TopicSpec<?> spec = EventLog.POISONED.get(next % EventLog.POISONED.size());
            Kind kind = kinds.get((next / EventLog.POISONED.size()) % kinds.size());
            byte[] key = (KEY_PREFIX + next).getBytes(StandardCharsets.UTF_8);
            acks.add(producer.send(new ProducerRecord<>(catalog.name(spec), key, value(spec, kind))));
            sentKinds.add(kind);
        }
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < acks.size(); i++) {
            RecordMetadata m = acks.get(i).get(3, TimeUnit.MINUTES);
            sent.add(new Sent(sentKinds.get(i), m.topic(), m.partition(), m.offset(), m.timestamp()));
        }
        return sent;
    }

    private byte[] value(TopicSpec<?> spec, Kind kind) {
        return switch (kind) {
            case CLAIMS_TWO_GIGABYTES -> SampleEvents.claimingTwoGigabytes(spec.valueType());
            case TOMBSTONE -> null;
            case GARBAGE -> {
                byte[] bytes = new byte[1 + random.nextInt(200)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case UNKNOWN_SCHEMA -> {
                byte[] bytes = new byte[10 + 1 + random.nextInt(100)];
                random.nextBytes(bytes);
                bytes[0] = (byte) 0xC3;
                bytes[1] = 0x01;
                yield bytes;
            }
            case TRUNCATED -> {
                byte[] whole = serialize(spec, SampleEvents.oneOfEach().get(spec));
                yield Arrays.copyOf(whole, whole.length / 2);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> byte[] serialize(TopicSpec<V> spec, SpecificRecord event) {
        Topic<V> topic = catalog.topic(spec);
        return topic.valueSerde().serializer().serialize(topic.name(), (V) event);
    }

    /**
     * Sends one round of forbidden requests, modelled on {@code accepted} (a request of {@code tenant} that ingest
     * accepted), and forbidden render tasks.
     */
    List<Attack> sendAttacks(
            GenerationRequest accepted, String tenant, byte[] tenantKey, String otherTenant, byte[] otherKey)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Attack> attacks = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        Topic<GenerationRequest> requests = catalog.topic(Topics.REQUESTS);
        Map<String, GenerationRequest> forged = new java.util.LinkedHashMap<>();
        forged.put("unsigned", copy(accepted).setSignature(null).build());
        forged.put("signed with another tenant's key", signed(copy(accepted), otherKey));
        forged.put(
                "another tenant naming this tenant's objects",
                signed(copy(accepted).setTenant(otherTenant), otherKey));
        forged.put(
                "image path climbing out of the tenant's prefix",
                signed(
                        copy(accepted).setImage(withKey(accepted.getImage(), tenant + "/../" + otherTenant + "/x.jpg")),
                        tenantKey));
        forged.put(
                "audio in a bucket the tenant does not write",
                signed(copy(accepted).setAudio(withBucket(accepted.getAudio(), "loopline-outputs")), tenantKey));
        forged.put(
                "a tenant nobody registered",
                copy(accepted).setTenant("nobody").setSignature(null).build());
        for (Map.Entry<String, GenerationRequest> e : forged.entrySet()) {
            String id = e.getValue().getRequestId();
            acks.add(producer.send(new ProducerRecord<>(
                    requests.name(),
                    id.getBytes(StandardCharsets.UTF_8),
                    requests.valueSerde().serializer().serialize(requests.name(), e.getValue()))));
            attacks.add(new Attack(id, e.getKey()));
        }
        Topic<RenderTask> tasks = catalog.topic(Topics.RENDER_TASKS);
        RenderTask negative = SampleEvents.renderTask();
        negative.setRequestId(newId());
        negative.setTenant(tenant);
        negative.setSegmentIndex(-5);
        RenderTask huge = SampleEvents.renderTask();
        huge.setRequestId(newId());
        huge.setTenant(tenant);
        huge.setTotalFrames(Integer.MAX_VALUE);
        huge.setSegmentCount(Integer.MAX_VALUE / 68);
        for (RenderTask task : List.of(negative, huge)) {
            acks.add(producer.send(new ProducerRecord<>(
                    tasks.name(),
                    Topics.renderTaskKey(task.getRequestId(), task.getSegmentIndex())
                            .getBytes(StandardCharsets.UTF_8),
                    tasks.valueSerde().serializer().serialize(tasks.name(), task))));
        }
        attacks.add(new Attack(negative.getRequestId(), "render task with segment index -5"));
        attacks.add(new Attack(huge.getRequestId(), "render task of 2^31 frames"));
        for (Future<RecordMetadata> ack : acks) {
            ack.get(3, TimeUnit.MINUTES);
        }
        return attacks;
    }

    private GenerationRequest.Builder copy(GenerationRequest accepted) {
        return GenerationRequest.newBuilder(accepted).setRequestId(newId());
    }

    private String newId() {
        return "attack-" + (next++) + "-" + Long.toHexString(random.nextLong() & 0xffffffL);
    }

    private static GenerationRequest signed(GenerationRequest.Builder builder, byte[] key) {
        GenerationRequest request = builder.setSignature(null).build();
        request.setSignature(RequestSignature.sign(request, key));
        return request;
    }

    private static ObjectRef withKey(ObjectRef ref, String key) {
        return ObjectRef.newBuilder(ref).setKey(key).build();
    }

    private static ObjectRef withBucket(ObjectRef ref, String bucket) {
        return ObjectRef.newBuilder(ref).setBucket(bucket).build();
    }

    /** Whether a record with this key is one of the pipeline's events rather than the suite's poison. */
    static boolean isEvent(byte[] key) {
        return key == null || !new String(key, StandardCharsets.UTF_8).startsWith(KEY_PREFIX);
    }

    @Override
    public void close() {
        producer.close();
    }
}
