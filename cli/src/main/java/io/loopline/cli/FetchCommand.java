package io.loopline.cli;

import io.loopline.cli.internals.StreamFollower;
import io.loopline.client.RequestEvents;
import io.loopline.core.storage.ObjectStore;
import java.io.IOException;
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

    @Option(
            names = "--follow",
            paramLabel = "DIR",
            description =
                    "Mirror the request's HLS stream into DIR as it grows, waiting until the request finishes (open"
                            + " DIR/index.m3u8 in a player meanwhile); needs mux.stream.enabled in the cluster.")
    Path follow;

    @Override
    public Integer call() throws Exception {
        var config = cluster.resolve();
        boolean waiting = waitForIt || follow != null;
        // Waiting, a broker outage is waited out (polls ride it out); the one-shot read fails after 30 s.
        try (RequestEvents events =
                new RequestEvents(config, requestId, waiting ? null : RequestEvents.METADATA_PATIENCE)) {
            ObjectStore store = new ObjectStore(config.storageSettings());
            StreamFollower[] stream = {null};
            RequestEvents.Snapshot s = waiting
                    ? events.untilFinished(Duration.ofMillis(500), null, snapshot -> follow(store, snapshot, stream))
                    : events.readToEnd(RequestEvents.METADATA_PATIENCE);
            follow(store, s, stream);
            if (follow != null && stream[0] != null) {
                System.err.println("Stream: " + stream[0].playlist());
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
            store.download(s.completed().get().getVideo(), out);
            System.out.println("Wrote " + out.toAbsolutePath());
            return 0;
        }
    }

    /**
     * With {@code --follow}: mirrors what is new of the stream, once the request's tenant is known from its status;
     * a copy that fails waits for the next poll.
     */
    private void follow(ObjectStore store, RequestEvents.Snapshot snapshot, StreamFollower[] stream) {
        if (follow == null) {
            return;
        }
        try {
            if (stream[0] == null && snapshot.status().isPresent()) {
                stream[0] = new StreamFollower(store, snapshot.status().get().getTenant(), requestId, follow);
            }
            if (stream[0] != null) {
                stream[0].poll();
            }
        } catch (IOException e) {
            System.err.println("Following the stream: " + e.getMessage());
        }
    }
}
