package io.loopline.cli;

import io.loopline.client.Submission;
import io.loopline.core.auth.RequestSignature;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(
            names = "--tenant-key-file",
            paramLabel = "FILE",
            defaultValue = "${env:LOOPLINE_TENANT_KEY_FILE}",
            description = "File holding the tenant's request-signing key (base64), for a cluster whose ingest checks"
                    + " signatures (default: $LOOPLINE_TENANT_KEY_FILE; none: the request goes unsigned).")
    Path tenantKeyFile;

    @Override
    public Integer call() throws Exception {
        String id = requestId != null ? requestId : Submission.newRequestId();
        Submission.submit(
                cluster.resolve(),
                request.tenant,
                id,
                request.image,
                request.audio,
                request.toGenerationOptions(pack),
                tenantKeyFile == null ? null : tenantKey(tenantKeyFile));
        System.out.println(id);
        return 0;
    }

    /** @throws RequestRejectedException OPTION_INVALID when the file cannot be read or holds no valid key */
    private static byte[] tenantKey(Path file) throws RequestRejectedException {
        try {
            return RequestSignature.decodeKey(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IllegalArgumentException ? e.getMessage() : "it cannot be read";
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID, "--tenant-key-file " + file + " holds no usable key: " + why + ".");
        }
    }
}
