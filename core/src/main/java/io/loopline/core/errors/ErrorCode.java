package io.loopline.core.errors;

/**
 * Stable error codes of {@code requests.failed}. Apps switch on them, so a code is never renamed or
 * reused; new failures get new codes. Each has a one-line meaning (docs/errors.md lists them).
 */
public enum ErrorCode {
    /** Ingest holds tenant keys and the request's signature is missing, wrong, or names a tenant without a key. */
    REQUEST_UNAUTHENTICATED("The request is not signed with its tenant's key."),
    /** A media reference points outside the tenant's prefix of the inputs bucket (or is no plain key). */
    REF_FORBIDDEN("A media reference points outside the tenant's own uploads."),
    /** A referenced input object does not exist. */
    INPUT_NOT_FOUND("A referenced input object does not exist."),
    /** A referenced input object's size or SHA-256 differs from what the request says. */
    INPUT_CHANGED("A referenced input object's bytes differ from the request's size or SHA-256."),
    /** An option is out of its allowed range. */
    OPTION_INVALID("A request option is out of its allowed range."),
    /** The image is not JPEG, PNG or WebP (or is animated). */
    IMAGE_UNSUPPORTED("The image is not a still JPEG, PNG or WebP image."),
    /** The image file or its declared pixel count is over the limit (decompression bombs are refused before decoding). */
    IMAGE_TOO_LARGE("The image file or its declared pixel count exceeds the limit."),
    /** The image is empty, truncated or corrupt. */
    IMAGE_UNDECODABLE("The image is empty, truncated or corrupt."),
    /** No face was found (or the image is blank). */
    NO_FACE("No face was found in the image."),
    /** Several faces and none clearly dominates. */
    MULTIPLE_FACES("Several faces of similar size were found; the image must show one main face."),
    /** The face is too small to animate. */
    FACE_TOO_SMALL("The face is too small to animate."),
    /** The mouth cannot be located reliably: it is cut off by the image's edge or the face mesh's mouth is degenerate. */
    NO_MOUTH("The mouth could not be located in the image."),
    /** The audio cannot be decoded (not audio, corrupt, no audio track, invalid samples). */
    AUDIO_UNDECODABLE("The audio cannot be decoded."),
    /** The audio file is over the byte limit. */
    AUDIO_TOO_LARGE("The audio file exceeds the size limit."),
    /** The decoded audio is shorter than the minimum duration. */
    AUDIO_TOO_SHORT("The decoded audio is shorter than the minimum duration."),
    /** The decoded audio is longer than the maximum duration. */
    AUDIO_TOO_LONG("The decoded audio is longer than the maximum duration."),
    /** The audio is digital silence. */
    AUDIO_SILENT("The audio is silent."),
    /** The request names a model pack that is not installed. */
    MODEL_PACK_UNKNOWN("The requested model pack is not installed."),
    /** The requested model pack is installed but does not satisfy the pack contract. */
    MODEL_PACK_INVALID("The requested model pack is installed but invalid."),
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
