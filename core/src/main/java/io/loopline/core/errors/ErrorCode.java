package io.loopline.core.errors;

/**
 * Stable error codes of {@code requests.failed}. Apps switch on them, so a code is never renamed or
 * reused; new failures get new codes. Each has a one-line meaning (docs/errors.md lists them).
 */
public enum ErrorCode {
    /** A media reference points outside the tenant's prefix of the inputs bucket (or is no plain key). */
    REF_FORBIDDEN("A media reference points outside the tenant's own uploads."),
    /** A referenced input object does not exist. */
    INPUT_NOT_FOUND("A referenced input object does not exist."),
    /** A referenced input object's size or SHA-256 differs from what the request says. */
    INPUT_CHANGED("A referenced input object's bytes differ from the request's size or SHA-256."),
    /** An option is out of its allowed range. */
    OPTION_INVALID("A request option is out of its allowed range."),
    /** Transient faults (storage, broker) outlasted the retries; the request may succeed if submitted again. */
    RETRIES_EXHAUSTED("A stage met transient faults on every attempt; submitting again may succeed."),
    /** A bug or an unexpected condition in a stage. */
    INTERNAL_ERROR("An unexpected error stopped a stage.");

    private final String meaning;

    ErrorCode(String meaning) {
        this.meaning = meaning;
    }

    /** One line saying what the code means, for documentation. */
    public String meaning() {
        return meaning;
    }
}
