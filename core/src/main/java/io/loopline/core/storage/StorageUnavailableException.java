package io.loopline.core.storage;

import io.loopline.core.errors.TransientFaultException;

/** Object storage could not be reached or failed the operation; the worker retries. */
public final class StorageUnavailableException extends TransientFaultException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
