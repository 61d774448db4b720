package io.loopline.cli.internals;

import io.loopline.core.config.LooplineConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Replays topics to a service by moving its consumer group's committed offsets back — to a time or
 * to an offset — what {@code kafka-consumer-groups --reset-offsets} does, with Loopline's names.
 * Offsets can only move while the group has no live members (they would overwrite them at their
 * next commit), so a group with members is refused, naming them.
 */
public final class GroupReplay {

    /** Where to move: {@code timestampMs} (first record at or after it), or {@code offset} (clamped to what exists). */
    public record Target(Long timestampMs, Long offset) {
        public static Target time(long timestampMs) {
            return new Target(timestampMs, null);
        }

        public static Target offset(long offset) {
            return new Target(null, offset);
        }
    }

    /** One partition's move. */
    public record Move(TopicPartition partition, Long from, long to) {}

    /** The group still has consumers. */
    public static final class LiveMembersException extends Exception {
        private static final long serialVersionUID = 1L;

        LiveMembersException(String message) {
            super(message);
        }
    }

    private GroupReplay() {}

    /**
     * Moves {@code group}'s offsets on every partition of {@code topics}; with {@code dryRun} only computes the moves.
     *
     * @throws LiveMembersException when the group has live members
     */
    public static List<Move> reset(
            LooplineConfig config, String group, Collection<String> topics, Target target, boolean dryRun)
            throws Exception {
        try (Admin admin = Admin.create(config.kafkaClientConfigs())) {
            ConsumerGroupDescription description;
            try {
                description = admin.describeConsumerGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                description = null;
            }
            if (description != null && !description.members().isEmpty()) {
                List<String> members = description.members().stream()
                        .map(m -> m.clientId() + "@" + m.host())
                        .toList();
                throw new LiveMembersException(
                        "The consumer group " + group + " has " + members.size() + " live member(s) " + members
                                + "; Kafka only lets offsets move while nobody consumes. Stop (or scale to zero) the service that uses it, replay, then start it again.");
            }
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            described
                    .values()
                    .forEach(d ->
                            d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> wanted = target.timestampMs() != null
                    ? offsets(admin, partitions, OffsetSpec.forTimestamp(target.timestampMs()))
                    : new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> moves = new HashMap<>();
            List<Move> result = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long to;
                if (target.timestampMs() != null) {
                    long at = wanted.getOrDefault(tp, -1L);
                    to = at < 0 ? latest.get(tp) : at; // nothing at or after the time: start at the end
                } else {
                    to = Math.max(earliest.get(tp), Math.min(latest.get(tp), target.offset()));
                }
                OffsetAndMetadata before = committed.get(tp);
                result.add(new Move(tp, before == null ? null : before.offset(), to));
                moves.put(tp, new OffsetAndMetadata(to));
            }
            if (!dryRun) {
                admin.alterConsumerGroupOffsets(group, moves).all().get(30, TimeUnit.SECONDS);
            }
            result.sort(Comparator.comparing((Move m) -> m.partition().topic())
                    .thenComparingInt(m -> m.partition().partition()));
            return result;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info =
                admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        info.forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }
}
