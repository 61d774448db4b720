package io.loopline.model.pack;

/** A model pack does not satisfy the contract; the message names the model, the tensor, expected and found. */
public final class PackValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PackValidationException(String message) {
        super(message);
    }

    public PackValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
