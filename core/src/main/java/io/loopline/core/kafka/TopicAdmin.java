package io.loopline.core.kafka;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.TransientFaultException;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalog's topics (and dead-letter topics) idempotently: what exists is left alone. */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    /**
     * Creates every missing topic of the deployment's catalog. Safe to run from every service at
     * once: a topic created by someone else in the meantime is fine. Existing topics with fewer
     * partitions than configured are reported, not changed (that would move keys between partitions).
     *
     * @return the names of the topics this call created
     */
    public static List<String> ensureTopics(LooplineConfig config) {
        List<NewTopic> wanted = newTopics(config.topicCatalog(), config.replicationFactor());
        try (Admin admin = Admin.create(config.kafkaClientConfigs())) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                var results = admin.createTopics(missing).values();
                for (var entry : results.entrySet()) {
                    try {
                        entry.getValue().get(60, TimeUnit.SECONDS);
                        created.add(entry.getKey());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                log.info("Created topics {}", created);
            }
            try {
                reportPartitionShortfall(admin, wanted);
            } catch (ExecutionException e) {
                // Just-created topics may not be in every broker's metadata yet; the report is only a warning.
                log.debug("Partition counts not checked: {}", e.getMessage());
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFaultException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFaultException(
                    "Could not create topics on " + config.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** Partition counts of existing topics, by name (waiting briefly for just-created topics to be known). */
    public static Map<String, Integer> partitionCounts(LooplineConfig config, List<String> topics) {
        try (Admin admin = Admin.create(config.kafkaClientConfigs())) {
            for (int attempt = 1; ; attempt++) {
                try {
                    Map<String, TopicDescription> described =
                            admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS);
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    topics.forEach(
                            t -> counts.put(t, described.get(t).partitions().size()));
                    return counts;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 20) {
                        throw e;
                    }
                    Thread.sleep(250);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFaultException("Interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientFaultException(
                    "Could not describe topics " + topics + " on " + config.bootstrapServers() + ": " + e.getMessage(),
                    e);
        }
    }

    private static void reportPartitionShortfall(Admin admin, List<NewTopic> wanted)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = admin.describeTopics(
                        wanted.stream().map(NewTopic::name).toList())
                .allTopicNames()
                .get(60, TimeUnit.SECONDS);
        for (NewTopic topic : wanted) {
            TopicDescription d = described.get(topic.name());
            if (d != null && d.partitions().size() < topic.numPartitions()) {
                log.warn(
                        "Topic {} has {} partitions, fewer than the {} configured; parallelism is capped at {}",
                        topic.name(),
                        d.partitions().size(),
                        topic.numPartitions(),
                        d.partitions().size());
            }
        }
    }

    /**
     * What to create for a deployment: every topic of its catalog and its dead-letter topic.
     *
     * @param replicationFactor replicas per partition; empty: the broker's default
     */
    static List<NewTopic> newTopics(TopicCatalog catalog, Optional<Short> replicationFactor) {
        List<NewTopic> result = new ArrayList<>();
        for (TopicSpec<?> spec : Topics.ALL) {
            Map<String, String> configs = new HashMap<>();
            if (spec.compacted()) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            } else {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                configs.put(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(spec.retention().toMillis()));
            }
            result.add(new NewTopic(catalog.name(spec), Optional.of(catalog.partitions(spec)), replicationFactor)
                    .configs(configs));
            result.add(new NewTopic(catalog.name(spec) + Topics.DLQ_SUFFIX, Optional.of(1), replicationFactor)
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(Topics.DLQ_RETENTION.toMillis()))));
        }
        return result;
    }
}
