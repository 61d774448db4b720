package io.loopline.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record names (by fingerprint) a writer schema that no released schema has: it was written by a
 * newer or foreign producer. Such records go to the topic's dead-letter topic.
 */
public final class UnknownSchemaException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final long fingerprint;

    public UnknownSchemaException(String topic, long fingerprint, String expectedType) {
        super(String.format(
                "Record on topic %s was written with unknown schema fingerprint %016x (expected a released version of %s)",
                topic, fingerprint, expectedType));
        this.topic = topic;
        this.fingerprint = fingerprint;
    }

    public String topic() {
        return topic;
    }

    public long fingerprint() {
        return fingerprint;
    }
}
