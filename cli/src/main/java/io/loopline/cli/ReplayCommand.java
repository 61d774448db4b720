package io.loopline.cli;

import io.loopline.cli.internals.GroupReplay;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.feature.FeatureService;
import io.loopline.ingest.IngestService;
import io.loopline.mux.MuxTopology;
import io.loopline.render.RenderService;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.status.StatusTopology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loopline replay}: moves a service's consumer group back so it reprocesses. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Makes a service reprocess its input from a time or an offset by resetting its consumer group.",
            "Refused while the group has live members: stop the service first. Replays are safe: every stage writes "
                    + "deterministic objects and mux completes a request once."
        })
final class ReplayCommand implements Callable<Integer> {

    /** Each service's consumed topics. */
    static final Map<String, List<TopicSpec<?>>> INPUTS = Map.of(
            "ingest", List.of(IngestService.INPUT),
            "feature", List.of(FeatureService.INPUT),
            "render", List.of(RenderService.INPUT),
            "mux", MuxTopology.INPUTS,
            "status", StatusTopology.INPUTS);

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--service", required = true, description = "ingest, feature, render, mux or status.")
    String service;

    @Option(
            names = "--group",
            description = "Its consumer group (default: loopline-<service>, or its worker.group.id).")
    String group;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    static final class Where {
        @Option(
                names = "--to-datetime",
                description = "From the first record at or after this time (ISO-8601, e.g. 2026-11-25T10:00:00Z).")
        Instant datetime;

        @Option(names = "--by-duration", description = "From this long ago (ISO-8601 duration, e.g. PT1H).")
        Duration duration;

        @Option(names = "--to-offset", description = "From this offset on every partition (clamped to what exists).")
        Long offset;

        @Option(names = "--to-earliest", description = "From the oldest record still kept.")
        boolean earliest;
    }

    @Option(names = "--dry-run", description = "Show the moves without making them.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        List<TopicSpec<?>> inputs = INPUTS.get(service);
        if (inputs == null) {
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID,
                    "--service must be one of ingest, feature, render, mux, status; not " + service + ".");
        }
        var config = cluster.resolve();
        TopicCatalog catalog = config.topicCatalog();
        String groupId = group != null ? group : "loopline-" + service;
        GroupReplay.Target target = where.datetime != null
                ? GroupReplay.Target.time(where.datetime.toEpochMilli())
                : where.duration != null
                        ? GroupReplay.Target.time(System.currentTimeMillis() - where.duration.toMillis())
                        : where.offset != null ? GroupReplay.Target.offset(where.offset) : GroupReplay.Target.offset(0);
        try {
            List<GroupReplay.Move> moves = GroupReplay.reset(
                    config, groupId, inputs.stream().map(catalog::name).toList(), target, dryRun);
            for (GroupReplay.Move m : moves) {
                System.out.printf(
                        "%s-%d: %s -> %d%n",
                        m.partition().topic(), m.partition().partition(), m.from() == null ? "none" : m.from(), m.to());
            }
            System.out.println((dryRun ? "Would move " : "Moved ") + groupId + " on " + moves.size() + " partition(s)"
                    + (dryRun ? "." : "; start the " + service + " service to reprocess."));
            return 0;
        } catch (GroupReplay.LiveMembersException e) {
            System.err.println("ERROR GROUP_ACTIVE: " + e.getMessage());
            return Loopline.FAILED;
        }
    }
}
