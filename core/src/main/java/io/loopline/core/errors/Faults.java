package io.loopline.core.errors;

import java.util.Locale;

import org.apache.kafka.common.errors.RetriableException;

import io.loopline.events.Stage;

/**
 * How every stage classifies what went wrong, and the sentences it reports for the two failures
 * that are not about the input: retries exhausted on a transient fault, and an unexpected error.
 */
public final class Faults {

    private Faults() {
    }

    /** Whether {@code e} (or a cause) is a fault that may pass: storage or broker unreachable, timeouts. */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientFaultException || t instanceof RetriableException
                || t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The message of {@link ErrorCode#RETRIES_EXHAUSTED}. */
    public static String retriesExhausted(Stage stage, int attempts) {
        return "The " + name(stage) + " stage could not reach a service it needs after " + attempts
            + " attempts; please submit the request again later.";
    }

    /** The message of {@link ErrorCode#INTERNAL_ERROR}. */
    public static String internalError(Stage stage, String requestId) {
        return "An unexpected error stopped the " + name(stage) + " stage; the operators can find it in the logs under request "
            + requestId + ".";
    }

    private static String name(Stage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }
}
