package io.loopline.core.errors;

import java.util.Map;
import java.util.Objects;

/**
 * The request cannot succeed as it is (bad media, forbidden reference, invalid option): the stage
 * publishes {@code requests.failed} with {@link #code()} and {@link #getMessage()}, one sentence a
 * user understands, and moves on. Never retried.
 */
public class RequestRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient Map<String, String> details;

    public RequestRejectedException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public RequestRejectedException(ErrorCode code, String message, Map<String, String> details, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    /** Machine-readable context (e.g. the limit that was exceeded). */
    public Map<String, String> details() {
        return details;
    }
}
