package io.loopline.cli;

import io.loopline.cli.internals.RequestEvents;
import io.loopline.core.storage.ObjectStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loopline fetch}: downloads a completed request's video. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = "Downloads the video of a completed request.")
final class FetchCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "REQUEST_ID")
    String requestId;

    @Option(
            names = {"--out", "-o"},
            required = true,
            description = "Where to write the MP4.")
    Path out;

    @Option(names = "--wait", description = "Wait until the request finishes instead of failing when it has not yet.")
    boolean waitForIt;

    @Override
    public Integer call() throws Exception {
        var config = cluster.resolve();
        try (RequestEvents events = new RequestEvents(config, requestId)) {
            RequestEvents.Snapshot s = events.readToEnd(Duration.ofSeconds(30));
            if (waitForIt) {
                s = events.untilFinished(Duration.ofMillis(500), null, snapshot -> {});
            }
            if (s.failed().isPresent()) {
                throw new RequestFailedException(s.failed().get());
            }
            if (s.completed().isEmpty()) {
                System.err.println("ERROR: Request " + requestId + " has no video yet"
                        + s.status()
                                .map(st -> " (" + StatusCommand.line(st) + ")")
                                .orElse("") + "; use --wait to wait for it.");
                return Loopline.FAILED;
            }
            new ObjectStore(config.storageSettings())
                    .download(s.completed().get().getVideo(), out);
            System.out.println("Wrote " + out.toAbsolutePath());
            return 0;
        }
    }
}
