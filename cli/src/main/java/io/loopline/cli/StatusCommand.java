package io.loopline.cli;

import io.loopline.cli.internals.ProgressView;
import io.loopline.client.RequestEvents;
import io.loopline.events.RequestStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopline status}: a request's latest state, from the compacted status topic. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows the state of a request (stage, progress, error).")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "REQUEST_ID")
    String requestId;

    @Option(names = "--watch", description = "Keep showing progress until the request completes or fails.")
    boolean watch;

    @Override
    public Integer call() throws Exception {
        // Watching, a broker outage is waited out; the one-shot read fails after 30 s.
        try (RequestEvents events =
                new RequestEvents(cluster.resolve(), requestId, watch ? null : RequestEvents.METADATA_PATIENCE)) {
            RequestEvents.Snapshot s;
            if (!watch) {
                s = events.readToEnd(RequestEvents.METADATA_PATIENCE);
            } else {
                ProgressView view = new ProgressView(System.err, System.console() != null);
                events.untilFinished(
                        Duration.ofMillis(500),
                        null,
                        snapshot -> snapshot.status().ifPresent(view::show));
                s = events.readToEnd(Duration.ofSeconds(5));
                view.finish();
            }
            if (s.status().isEmpty() && !s.finished()) {
                System.err.println("ERROR: No request " + requestId + " is known to this cluster (yet).");
                return Loopline.FAILED;
            }
            s.status().ifPresent(st -> {
                System.out.println(line(st));
                st.getWarnings().forEach(w -> System.out.println("warning " + w.getCode() + ": " + w.getMessage()));
            });
            s.completed()
                    .ifPresent(c -> System.out.println("video: " + c.getVideo().getBucket() + "/"
                            + c.getVideo().getKey() + "\nurl (until " + c.getUrlExpiresAt() + "): "
                            + c.getPresignedUrl()));
            return 0;
        }
    }

    static String line(RequestStatus s) {
        String base = String.format(
                Locale.ROOT,
                "%s %s stage=%s progress=%d%%",
                s.getRequestId(),
                s.getState(),
                s.getStage(),
                Math.round(s.getProgress() * 100));
        if (s.getSegmentsTotal() > 0) {
            base += " segments=" + s.getSegmentsDone() + "/" + s.getSegmentsTotal();
        }
        if (s.getErrorCode() != null) {
            base += " error=" + s.getErrorCode() + ": " + s.getMessage();
        }
        if (s.getStreamUrl() != null) {
            base += " stream=" + s.getStreamUrl();
        }
        return base;
    }
}
