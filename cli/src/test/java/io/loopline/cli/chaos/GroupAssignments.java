package io.loopline.cli.chaos;

import io.loopline.core.config.LooplineConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;

/** What a consumer group's members hold, as the group coordinator describes it. */
public final class GroupAssignments {

    private GroupAssignments() {}

    /**
     * The partitions held by the members of {@code group} whose instance id (with static membership), else client id,
     * starts with {@code memberPrefix}; empty when none does.
     */
    public static Set<Integer> partitionsOf(LooplineConfig client, String group, String memberPrefix) throws Exception {
        try (Admin admin = Admin.create(client.kafkaClientConfigs())) {
            Set<Integer> owned = new TreeSet<>();
            for (MemberDescription m : admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(group)
                    .members()) {
                if (m.groupInstanceId().orElse(m.clientId()).startsWith(memberPrefix)) {
                    m.assignment().topicPartitions().forEach(tp -> owned.add(tp.partition()));
                }
            }
            return owned;
        }
    }
}
