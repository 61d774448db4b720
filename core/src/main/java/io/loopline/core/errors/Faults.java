package io.loopline.core.errors;

import io.loopline.core.config.RetryPolicy;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.events.RequestFailed;
import io.loopline.events.Stage;
import io.loopline.schemas.EventFields;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.RetriableException;

/**
 * How every stage classifies what went wrong, and the sentences it reports for the two failures
 * that are not about the input: retries exhausted on a transient fault, and an unexpected error.
 */
public final class Faults {

    private Faults() {}

    /** Whether {@code e} (or a cause) is a fault that may pass: storage or broker unreachable, timeouts. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientFaultException
                    || t instanceof RetriableException
                    || t instanceof ConnectException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** What a stage does about a fault: try again after a backoff, or fail the request. */
    public sealed interface Verdict permits Retry, Fail {}

    /** Try the same work again after {@code backoff}. */
    public record Retry(Duration backoff) implements Verdict {}

    /** Give up: the request fails with these fields of {@code requests.failed}. */
    public record Fail(ErrorCode code, String message, boolean retryable, Map<String, String> details)
            implements Verdict {}

    /**
     * The verdict on {@code e}, met by {@code stage} on attempt {@code attempt} (from 1) of request
     * {@code requestId}: a transient fault is tried again while {@code retry} allows, then fails as
     * {@link ErrorCode#RETRIES_EXHAUSTED} (retryable: the caller may submit again later); a stored object that is
     * gone — an intermediate an earlier stage wrote, expired or deleted — is {@link ErrorCode#INPUT_NOT_FOUND} in
     * every stage; anything else is an {@link ErrorCode#INTERNAL_ERROR}. Faults about the uploaded input are the
     * caller's to tell apart first.
     */
    public static Verdict verdict(Exception e, Stage stage, String requestId, int attempt, RetryPolicy retry) {
        if (e instanceof ObjectNotFoundException gone) {
            return new Fail(
                    ErrorCode.INPUT_NOT_FOUND,
                    "A stored intermediate of this request is gone (" + gone.getMessage()
                            + "); submit the request again.",
                    false,
                    Map.of());
        }
        if (isTransient(e)) {
            if (retry.retriesAfter(attempt)) {
                return new Retry(retry.backoffAfter(attempt));
            }
            return new Fail(
                    ErrorCode.RETRIES_EXHAUSTED,
                    retriesExhausted(stage, attempt),
                    true,
                    Map.of("cause", String.valueOf(e.getMessage())));
        }
        return new Fail(
                ErrorCode.INTERNAL_ERROR,
                internalError(stage, requestId),
                false,
                Map.of("exception", e.getClass().getName()));
    }

    /** The message of {@link ErrorCode#RETRIES_EXHAUSTED}. */
    static String retriesExhausted(Stage stage, int attempts) {
        return "The " + name(stage) + " stage could not reach a service it needs after " + attempts
                + " attempts; please submit the request again later.";
    }

    /** The message of {@link ErrorCode#INTERNAL_ERROR}. */
    static String internalError(Stage stage, String requestId) {
        return "An unexpected error stopped the " + name(stage)
                + " stage; the operators can find it in the logs under request " + requestId + ".";
    }

    /** The {@code requests.failed} event of the request that {@code about} (any event of it) belongs to. */
    public static RequestFailed failure(
            SpecificRecord about,
            Stage stage,
            ErrorCode code,
            String message,
            boolean retryable,
            int attempts,
            Map<String, String> details) {
        return EventFields.copyEnvelope(about, RequestFailed.newBuilder())
                .setStage(stage)
                .setErrorCode(code.name())
                .setMessage(message)
                .setRetryable(retryable)
                .setAttempts(attempts)
                .setDetails(details)
                .build();
    }

    private static String name(Stage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }
}
