package io.loopline.core.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A decoded input event and where it came from.
 *
 * @param attempt 1 on first processing, then 2, 3… when the worker retries after a transient fault
 */
public record InboundEvent<V extends SpecificRecord>(
        String topic, int partition, long offset, String key, V value, Headers headers, int attempt) {}
