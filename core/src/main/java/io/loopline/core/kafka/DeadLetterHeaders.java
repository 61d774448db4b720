package io.loopline.core.kafka;

/** Headers a dead-letter record carries besides the original record's own headers. */
public final class DeadLetterHeaders {

    public static final String ORIGINAL_TOPIC = "loopline.dlq.original.topic";
    public static final String ORIGINAL_PARTITION = "loopline.dlq.original.partition";
    public static final String ORIGINAL_OFFSET = "loopline.dlq.original.offset";
    public static final String ORIGINAL_TIMESTAMP = "loopline.dlq.original.timestamp";
    public static final String CONSUMER_GROUP = "loopline.dlq.consumer.group";
    public static final String EXCEPTION_CLASS = "loopline.dlq.exception.class";
    public static final String EXCEPTION_MESSAGE = "loopline.dlq.exception.message";

    private DeadLetterHeaders() {}
}
