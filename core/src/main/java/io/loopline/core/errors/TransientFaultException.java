package io.loopline.core.errors;

/**
 * A fault that may go away by itself (storage or broker unavailable, a timeout): the worker retries
 * the record with backoff, then gives up with a retryable failure event.
 */
public class TransientFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransientFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
