package io.loopline.core.storage;

/** The object does not exist (or its bucket does not). Not transient: retrying will not make it appear. */
public final class ObjectNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String bucket;
    private final String key;

    public ObjectNotFoundException(String bucket, String key) {
        super("No object " + key + " in bucket " + bucket);
        this.bucket = bucket;
        this.key = key;
    }

    public String bucket() {
        return bucket;
    }

    public String key() {
        return key;
    }
}
