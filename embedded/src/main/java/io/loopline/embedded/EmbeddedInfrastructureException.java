package io.loopline.embedded;

/** Embedded infrastructure could not be started. */
public final class EmbeddedInfrastructureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbeddedInfrastructureException(String message, Throwable cause) {
        super(message, cause);
    }
}
