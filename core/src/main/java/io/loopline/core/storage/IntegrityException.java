package io.loopline.core.storage;

import java.io.IOException;

/** Bytes read from storage do not match the reference's size or SHA-256. */
public final class IntegrityException extends IOException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }
}
