package io.loopline.streams.internals;

import io.loopline.core.kafka.DeadLetterPublisher;
import io.loopline.schemas.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Streams application cannot decode go to {@code <topic>.dlq} with their original bytes and the same
 * headers every other stage writes, and the app moves on — inside the Streams transaction, so the
 * dead letter is written exactly once.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String applicationId = "";

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        applicationId = id == null ? "" : id.toString();
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String dlq = record.topic() + Topics.DLQ_SUFFIX;
        log.warn(
                "Undecodable record {}-{}@{} goes to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                dlq,
                exception.toString());
        return Response.resume(List.of(DeadLetterPublisher.letter(record, dlq, applicationId, exception)));
    }
}
