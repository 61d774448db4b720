package io.loopline.cli;

import io.loopline.cli.internals.Submission;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loopline submit}: uploads the inputs to a cluster's storage and publishes the request. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = "Submits a request to a running Loopline cluster and prints its id.")
final class SubmitCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Mixin
    RequestOptions request;

    @Option(
            names = "--pack",
            description = "Name of a model pack installed in the cluster (default: the cluster's default pack).")
    String pack;

    @Option(
            names = "--request-id",
            description =
                    "Request id to use (default: a new unique one). Submitting an id again is a replay: it completes once.")
    String requestId;

    @Override
    public Integer call() throws Exception {
        String id = requestId != null ? requestId : Submission.newRequestId();
        Submission.submit(
                cluster.resolve(), request.tenant, id, request.image, request.audio, request.toGenerationOptions(pack));
        System.out.println(id);
        return 0;
    }
}
