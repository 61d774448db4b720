package io.loopline.model.runtime;

/** A model could not be loaded or run. */
public final class ModelRuntimeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
