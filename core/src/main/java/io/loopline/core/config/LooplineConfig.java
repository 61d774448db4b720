package io.loopline.core.config;

import io.loopline.core.storage.StorageSettings;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.schemas.serde.SingleObjectAvroDeserializer;
import io.loopline.schemas.serde.SingleObjectAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration every Loopline service shares, declared once: each option is a named constant with
 * its type, default, validation and documentation in {@link #configDef(String)}. Services extend the
 * definition with their own options and parse once into typed getters.
 *
 * <p>Values come from {@link ConfigSources} (a properties file, environment variables
 * {@code LOOPLINE_<KEY>}, explicit overrides). Invalid values stop start-up with a
 * {@link org.apache.kafka.common.config.ConfigException} that names the key.
 */
public class LooplineConfig extends AbstractConfig {

    // --- Kafka ---
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    private static final String KAFKA_BOOTSTRAP_SERVERS_DOC =
            "Kafka brokers to bootstrap from, host:port[,host:port...].";

    /** Prefix of options handed unchanged to every Kafka client, e.g. {@code kafka.client.security.protocol}. */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

    public static final String TOPIC_PREFIX = "topic.prefix";
    private static final String TOPIC_PREFIX_DOC =
            "Prefix of every topic name; lets several deployments share a cluster.";

    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    private static final String TOPIC_REPLICATION_FACTOR_DOC =
            "Replicas of each partition of topics created at start; -1: the broker's default.replication.factor.";

    public static final String TOPIC_RENDER_TASKS_PARTITIONS = "topic.render.tasks.partitions";
    private static final String TOPIC_RENDER_TASKS_PARTITIONS_DOC =
            "Partitions of render.tasks; the most render workers that can work at once. Keep it at least the autoscaler's maximum replica count.";

    public static final String TOPICS_CREATE = "topics.create";
    private static final String TOPICS_CREATE_DOC = "Create missing topics (and their dead-letter topics) at start.";

    // --- Serdes ---
    public static final String SERDE_VALUE_SERIALIZER = "serde.value.serializer";
    private static final String SERDE_VALUE_SERIALIZER_DOC =
            "Serializer class of event values. Default: Avro single-object encoding, no registry needed. "
                    + "E.g. io.confluent.kafka.serializers.KafkaAvroSerializer with Confluent's jars on the class path.";

    public static final String SERDE_VALUE_DESERIALIZER = "serde.value.deserializer";
    private static final String SERDE_VALUE_DESERIALIZER_DOC =
            "Deserializer class of event values; must read what serde.value.serializer writes.";

    /** Prefix of options handed (prefix removed) to the serde classes, e.g. {@code serde.config.schema.registry.url}. */
    public static final String SERDE_CONFIG_PREFIX = "serde.config.";

    // --- Object storage ---
    public static final String S3_ENDPOINT = "s3.endpoint";
    private static final String S3_ENDPOINT_DOC = "S3 API endpoint URL, e.g. http://minio:9000.";

    public static final String S3_REGION = "s3.region";
    private static final String S3_REGION_DOC = "Region requests are signed for.";

    public static final String S3_ACCESS_KEY = "s3.access.key";
    private static final String S3_ACCESS_KEY_DOC = "Access key id.";

    public static final String S3_SECRET_KEY = "s3.secret.key";
    private static final String S3_SECRET_KEY_DOC = "Secret access key (never logged).";

    public static final String S3_BUCKET_INPUTS = "s3.bucket.inputs";
    private static final String S3_BUCKET_INPUTS_DOC = "Bucket apps upload requests' media to, under {tenant}/.";

    public static final String S3_BUCKET_WORK = "s3.bucket.work";
    private static final String S3_BUCKET_WORK_DOC =
            "Bucket of intermediates (normalized media, features, frames); may expire objects.";

    public static final String S3_BUCKET_OUTPUTS = "s3.bucket.outputs";
    private static final String S3_BUCKET_OUTPUTS_DOC = "Bucket of finished videos.";

    public static final String S3_BUCKETS_CREATE = "s3.buckets.create";
    private static final String S3_BUCKETS_CREATE_DOC = "Create missing buckets at start.";

    // --- Worker ---
    public static final String WORKER_GROUP_ID = "worker.group.id";
    private static final String WORKER_GROUP_ID_DOC =
            "Consumer group of the service's workers; ops reset its offsets to replay.";

    public static final String WORKER_POLL_TIMEOUT_MS = "worker.poll.timeout.ms";
    private static final String WORKER_POLL_TIMEOUT_MS_DOC =
            "Longest a worker waits in one poll; also how often it checks on a record in progress.";

    public static final String WORKER_MAX_POLL_INTERVAL_MS = "worker.max.poll.interval.ms";
    private static final String WORKER_MAX_POLL_INTERVAL_MS_DOC =
            "Kafka's max.poll.interval.ms. Workers keep polling while a record is processed, so long work never exceeds it.";

    public static final String WORKER_SESSION_TIMEOUT_MS = "worker.session.timeout.ms";
    private static final String WORKER_SESSION_TIMEOUT_MS_DOC =
            "Kafka's session.timeout.ms: a worker that dies without leaving its group (SIGKILL, a lost node) is noticed"
                    + " after this long and its partitions move to the others; it heartbeats every third of it, from a"
                    + " thread of its own, so long work never counts against it.";

    public static final String WORKER_INSTANCE_ID = "worker.instance.id";
    private static final String WORKER_INSTANCE_ID_DOC =
            "Static group membership: an id stable across restarts of this process (the pod's name); each worker"
                    + " joins as <id>-<worker>, so a worker restarted after a crash takes its partitions back at once,"
                    + " without a rebalance. Empty: dynamic membership. Workers leave the group when stopped either way.";

    public static final String WORKER_SHUTDOWN_TIMEOUT_MS = "worker.shutdown.timeout.ms";
    private static final String WORKER_SHUTDOWN_TIMEOUT_MS_DOC =
            "On stop, how long a record in progress may still finish and be committed; after that it is abandoned uncommitted and redelivered to another worker.";

    // --- Operations ---
    public static final String MANAGEMENT_PORT = "management.port";
    private static final String MANAGEMENT_PORT_DOC =
            "Port of the service process's HTTP endpoints for operations: /health/live, /health/ready and "
                    + "/metrics (Prometheus). 0: any free port. Not opened by the CLI's embedded pipeline.";
    /** The default {@link #MANAGEMENT_PORT}: what images expose and manifests probe. */
    public static final int DEFAULT_MANAGEMENT_PORT = 8080;

    public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
    private static final String RETRY_MAX_ATTEMPTS_DOC =
            "Attempts at a record that meets transient faults (storage or broker unavailable) before it fails with a retryable failure event; the defaults ride out about 2 minutes of outage.";

    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    private static final String RETRY_BACKOFF_INITIAL_MS_DOC = "Wait before the first retry; doubles with each retry.";

    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    private static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between retries.";

    /**
     * The common definition. Each call returns a new {@link ConfigDef} that a service may extend.
     *
     * @param service service name; the default consumer group is {@code loopline-<service>}
     */
    public static ConfigDef configDef(String service) {
        return storageConfigDef(kafkaConfigDef(service));
    }

    /** The common options less the object storage's ({@code s3.*}): for a service that reads and writes only topics. */
    public static ConfigDef kafkaConfigDef(String service) {
        return new ConfigDef()
                .define(
                        KAFKA_BOOTSTRAP_SERVERS,
                        Type.LIST,
                        "localhost:9092",
                        ConfigValidators.hostPortList(),
                        Importance.HIGH,
                        KAFKA_BOOTSTRAP_SERVERS_DOC)
                .define(
                        TOPIC_PREFIX,
                        Type.STRING,
                        "loopline.",
                        ConfigValidators.topicPrefix(),
                        Importance.MEDIUM,
                        TOPIC_PREFIX_DOC)
                .define(
                        TOPIC_REPLICATION_FACTOR,
                        Type.SHORT,
                        (short) -1,
                        ConfigValidators.replicationFactor(),
                        Importance.MEDIUM,
                        TOPIC_REPLICATION_FACTOR_DOC)
                .define(
                        TOPIC_RENDER_TASKS_PARTITIONS,
                        Type.INT,
                        Topics.RENDER_TASKS.defaultPartitions(),
                        Range.between(1, 10_000),
                        Importance.MEDIUM,
                        TOPIC_RENDER_TASKS_PARTITIONS_DOC)
                .define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.LOW, TOPICS_CREATE_DOC)
                .define(
                        SERDE_VALUE_SERIALIZER,
                        Type.CLASS,
                        SingleObjectAvroSerializer.class.getName(),
                        Importance.LOW,
                        SERDE_VALUE_SERIALIZER_DOC)
                .define(
                        SERDE_VALUE_DESERIALIZER,
                        Type.CLASS,
                        SingleObjectAvroDeserializer.class.getName(),
                        Importance.LOW,
                        SERDE_VALUE_DESERIALIZER_DOC)
                .define(
                        WORKER_GROUP_ID,
                        Type.STRING,
                        "loopline-" + service,
                        new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM,
                        WORKER_GROUP_ID_DOC)
                .define(
                        WORKER_POLL_TIMEOUT_MS,
                        Type.LONG,
                        200L,
                        Range.between(10, 60_000),
                        Importance.LOW,
                        WORKER_POLL_TIMEOUT_MS_DOC)
                .define(
                        WORKER_MAX_POLL_INTERVAL_MS,
                        Type.INT,
                        300_000,
                        Range.atLeast(1_000),
                        Importance.LOW,
                        WORKER_MAX_POLL_INTERVAL_MS_DOC)
                .define(
                        WORKER_SESSION_TIMEOUT_MS,
                        Type.INT,
                        10_000,
                        Range.between(6_000, 300_000),
                        Importance.LOW,
                        WORKER_SESSION_TIMEOUT_MS_DOC)
                .define(WORKER_INSTANCE_ID, Type.STRING, "", Importance.LOW, WORKER_INSTANCE_ID_DOC)
                .define(
                        WORKER_SHUTDOWN_TIMEOUT_MS,
                        Type.LONG,
                        30_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        WORKER_SHUTDOWN_TIMEOUT_MS_DOC)
                .define(
                        MANAGEMENT_PORT,
                        Type.INT,
                        DEFAULT_MANAGEMENT_PORT,
                        Range.between(0, 65_535),
                        Importance.LOW,
                        MANAGEMENT_PORT_DOC)
                .define(
                        RETRY_MAX_ATTEMPTS,
                        Type.INT,
                        12,
                        Range.between(1, 100),
                        Importance.MEDIUM,
                        RETRY_MAX_ATTEMPTS_DOC)
                .define(
                        RETRY_BACKOFF_INITIAL_MS,
                        Type.LONG,
                        200L,
                        Range.between(0, 600_000),
                        Importance.LOW,
                        RETRY_BACKOFF_INITIAL_MS_DOC)
                .define(
                        RETRY_BACKOFF_MAX_MS,
                        Type.LONG,
                        30_000L,
                        Range.between(0, 3_600_000),
                        Importance.LOW,
                        RETRY_BACKOFF_MAX_MS_DOC);
    }

    private static ConfigDef storageConfigDef(ConfigDef definition) {
        return definition
                .define(
                        S3_ENDPOINT,
                        Type.STRING,
                        "http://localhost:9000",
                        ConfigValidators.httpUrl(),
                        Importance.HIGH,
                        S3_ENDPOINT_DOC)
                .define(
                        S3_REGION,
                        Type.STRING,
                        "us-east-1",
                        new ConfigDef.NonEmptyString(),
                        Importance.LOW,
                        S3_REGION_DOC)
                .define(
                        S3_ACCESS_KEY,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        S3_ACCESS_KEY_DOC)
                .define(S3_SECRET_KEY, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, S3_SECRET_KEY_DOC)
                .define(
                        S3_BUCKET_INPUTS,
                        Type.STRING,
                        "loopline-inputs",
                        ConfigValidators.bucketName(),
                        Importance.MEDIUM,
                        S3_BUCKET_INPUTS_DOC)
                .define(
                        S3_BUCKET_WORK,
                        Type.STRING,
                        "loopline-work",
                        ConfigValidators.bucketName(),
                        Importance.MEDIUM,
                        S3_BUCKET_WORK_DOC)
                .define(
                        S3_BUCKET_OUTPUTS,
                        Type.STRING,
                        "loopline-outputs",
                        ConfigValidators.bucketName(),
                        Importance.MEDIUM,
                        S3_BUCKET_OUTPUTS_DOC)
                .define(S3_BUCKETS_CREATE, Type.BOOLEAN, true, Importance.LOW, S3_BUCKETS_CREATE_DOC);
    }

    private final String service;

    /** Parses {@code props} against {@code definition} (the common one, possibly extended). */
    public LooplineConfig(String service, ConfigDef definition, Map<?, ?> props) {
        super(definition, props, false);
        this.service = service;
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_INITIAL_MS)) {
            throw new ConfigException(
                    RETRY_BACKOFF_MAX_MS,
                    getLong(RETRY_BACKOFF_MAX_MS),
                    "must be at least " + RETRY_BACKOFF_INITIAL_MS + " (" + getLong(RETRY_BACKOFF_INITIAL_MS) + ")");
        }
    }

    /** Common options only. */
    public LooplineConfig(String service, Map<?, ?> props) {
        this(service, configDef(service), props);
    }

    public String service() {
        return service;
    }

    public String bootstrapServers() {
        return String.join(",", getList(KAFKA_BOOTSTRAP_SERVERS));
    }

    /** Options for any Kafka client: bootstrap servers plus every {@code kafka.client.*} pass-through. */
    public Map<String, Object> kafkaClientConfigs() {
        Map<String, Object> configs = new HashMap<>(originalsWithPrefix(KAFKA_CLIENT_PREFIX));
        configs.put("bootstrap.servers", bootstrapServers());
        return configs;
    }

    /** The topic catalog of this deployment (prefix, serdes, partitions). */
    public TopicCatalog topicCatalog() {
        Map<TopicSpec<?>, Integer> partitions = Map.of(Topics.RENDER_TASKS, getInt(TOPIC_RENDER_TASKS_PARTITIONS));
        return new TopicCatalog(
                getString(TOPIC_PREFIX),
                new TopicCatalog.SerdeSettings(
                        getClass(SERDE_VALUE_SERIALIZER).getName(),
                        getClass(SERDE_VALUE_DESERIALIZER).getName(),
                        originalsWithPrefix(SERDE_CONFIG_PREFIX)),
                partitions);
    }

    /** Replication factor for created topics; empty means the broker's default. */
    public Optional<Short> replicationFactor() {
        short rf = getShort(TOPIC_REPLICATION_FACTOR);
        return rf < 0 ? Optional.empty() : Optional.of(rf);
    }

    public boolean createTopics() {
        return getBoolean(TOPICS_CREATE);
    }

    /**
     * Where the object store is and how to sign in.
     *
     * @throws ConfigException for a configuration declared without storage ({@link #kafkaConfigDef})
     */
    public StorageSettings storageSettings() {
        return new StorageSettings(
                getString(S3_ENDPOINT),
                getString(S3_REGION),
                getString(S3_ACCESS_KEY),
                getPassword(S3_SECRET_KEY).value(),
                getString(S3_BUCKET_INPUTS),
                getString(S3_BUCKET_WORK),
                getString(S3_BUCKET_OUTPUTS),
                getBoolean(S3_BUCKETS_CREATE));
    }

    public String groupId() {
        return getString(WORKER_GROUP_ID);
    }

    public int managementPort() {
        return getInt(MANAGEMENT_PORT);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(WORKER_POLL_TIMEOUT_MS));
    }

    public int maxPollIntervalMs() {
        return getInt(WORKER_MAX_POLL_INTERVAL_MS);
    }

    public int sessionTimeoutMs() {
        return getInt(WORKER_SESSION_TIMEOUT_MS);
    }

    /** The static membership id of this process; empty for dynamic membership. */
    public Optional<String> instanceId() {
        String id = getString(WORKER_INSTANCE_ID);
        return id.isBlank() ? Optional.empty() : Optional.of(id);
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(getLong(WORKER_SHUTDOWN_TIMEOUT_MS));
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(
                getInt(RETRY_MAX_ATTEMPTS),
                Duration.ofMillis(getLong(RETRY_BACKOFF_INITIAL_MS)),
                Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS)));
    }

    /**
     * The effective configuration, one {@code key = value} per line, sorted, secrets masked: what
     * services log at start.
     */
    public String describe() {
        Map<String, Object> effective = new TreeMap<>(values());
        originals().forEach((k, v) -> {
            if (k.startsWith(KAFKA_CLIENT_PREFIX) || k.startsWith(SERDE_CONFIG_PREFIX)) {
                effective.put(k, ConfigValidators.looksSecret(k) ? new Password(String.valueOf(v)) : v);
            }
        });
        StringBuilder sb = new StringBuilder();
        effective.forEach((k, v) -> sb.append("  ")
                .append(k)
                .append(" = ")
                .append(v instanceof Class<?> c ? c.getName() : v)
                .append('\n'));
        return sb.toString();
    }
}
