package io.loopline.core.kafka.internals;

import io.loopline.core.config.RetryPolicy;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.Faults;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.kafka.BatchStageProcessor;
import io.loopline.core.kafka.InboundEvent;
import io.loopline.core.kafka.OutboundEvent;
import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.metrics.StageMetrics;
import io.loopline.events.RequestFailed;
import io.loopline.events.Stage;
import io.loopline.schemas.EventFields;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one decoded record on the processing thread: runs the stage with retries for transient
 * faults, turns rejections and exhausted retries into {@code requests.failed}, and publishes the
 * results, returning only once the brokers acknowledged all of them. Throws when publishing fails,
 * so that the worker does not commit.
 */
public final class RecordHandler<V extends SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(RecordHandler.class);

    /** W3C trace-context headers, passed from each input to its outputs. */
    static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate");

    private final TopicCatalog catalog;
    private final Stage stage;
    private final StageProcessor<V> processor;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RetryPolicy retry;

    public RecordHandler(
            TopicCatalog catalog,
            Stage stage,
            StageProcessor<V> processor,
            KafkaProducer<byte[], byte[]> producer,
            RetryPolicy retry) {
        this.catalog = catalog;
        this.stage = stage;
        this.processor = processor;
        this.producer = producer;
        this.retry = retry;
    }

    /**
     * Processes several events together when the processor batches; if the batch fails in any way,
     * processes them one by one instead (each with its own retries and failure event).
     */
    public void handleBatch(List<InboundEvent<V>> events)
            throws InterruptedException, ExecutionException, TimeoutException {
        StageMetrics.recordsIn(stage).increment(events.size());
        if (events.size() > 1 && processor instanceof BatchStageProcessor<V> batching) {
            long started = System.nanoTime();
            List<List<OutboundEvent<?>>> outputs = null;
            try {
                outputs = batching.processBatch(events);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("Stopped while processing");
                }
                log.info(
                        "{}: a batch of {} failed ({}); processing its events one by one",
                        stage,
                        events.size(),
                        e.toString());
            }
            if (outputs != null) {
                StageMetrics.processing(stage, "ok").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                for (int k = 0; k < events.size(); k++) {
                    publish(outputs.get(k), events.get(k).headers());
                }
                return;
            }
        }
        for (InboundEvent<V> event : events) {
            process(event);
        }
    }

    /** Runs the stage on one event ({@link #handleBatch} counted it in already) and publishes what it gives. */
    private void process(InboundEvent<V> first) throws InterruptedException, ExecutionException, TimeoutException {
        InboundEvent<V> event = first;
        while (true) {
            List<OutboundEvent<?>> outputs;
            long started = System.nanoTime();
            try {
                outputs = processor.process(event);
                StageMetrics.processing(stage, "ok").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw e;
            } catch (RequestRejectedException e) {
                StageMetrics.processing(stage, "rejected").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                log.info(
                        "{} rejected request {}: {} {}",
                        stage,
                        EventFields.requestId(event.value()),
                        e.code(),
                        e.getMessage());
                outputs = List.of(failure(event, e.code(), e.getMessage(), false, e.details()));
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("Stopped while processing");
                }
                String requestId = EventFields.requestId(event.value());
                Faults.Verdict verdict = Faults.verdict(e, stage, requestId, event.attempt(), retry);
                if (verdict instanceof Faults.Retry again) {
                    log.warn(
                            "{}: attempt {} of {}@{} met a transient fault, retrying in {} ms: {}",
                            stage,
                            event.attempt(),
                            event.topic(),
                            event.offset(),
                            again.backoff().toMillis(),
                            e.toString());
                    Thread.sleep(again.backoff().toMillis());
                    event = new InboundEvent<>(
                            event.topic(),
                            event.partition(),
                            event.offset(),
                            event.key(),
                            event.value(),
                            event.headers(),
                            event.attempt() + 1);
                    continue;
                }
                Faults.Fail fail = (Faults.Fail) verdict;
                if (fail.code() == ErrorCode.INTERNAL_ERROR) {
                    log.error("{}: unexpected error on request {}", stage, requestId, e);
                } else {
                    log.error(
                            "{}: giving up on request {} after {} attempts: {}",
                            stage,
                            requestId,
                            event.attempt(),
                            e.toString());
                }
                outputs = List.of(failure(event, fail.code(), fail.message(), fail.retryable(), fail.details()));
            }
            publish(outputs, event.headers());
            return;
        }
    }

    private OutboundEvent<RequestFailed> failure(
            InboundEvent<V> event, ErrorCode code, String message, boolean retryable, Map<String, String> details) {
        RequestFailed failed = Faults.failure(event.value(), stage, code, message, retryable, event.attempt(), details);
        StageMetrics.recordsFailed(stage, code.name()).increment();
        return OutboundEvent.of(Topics.REQUESTS_FAILED, failed.getRequestId(), failed);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void publish(List<OutboundEvent<?>> outputs, Headers inputHeaders)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(outputs.size());
        for (OutboundEvent<?> out : outputs) {
            Topic topic = catalog.topic(out.topic());
            byte[] key = topic.keySerde().serializer().serialize(topic.name(), out.key());
            byte[] value = topic.valueSerde().serializer().serialize(topic.name(), out.value());
            Integer partition = out.spread() == null
                    ? null
                    : Math.floorMod(
                            out.spread(), producer.partitionsFor(topic.name()).size());
            acks.add(producer.send(
                    new ProducerRecord<>(topic.name(), partition, key, value, traceHeaders(inputHeaders))));
            StageMetrics.recordsOut(stage, out.topic().baseName()).increment();
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(5, TimeUnit.MINUTES);
        }
    }

    private static Headers traceHeaders(Headers inputHeaders) {
        RecordHeaders headers = new RecordHeaders();
        for (String name : TRACE_HEADERS) {
            Header h = inputHeaders.lastHeader(name);
            if (h != null) {
                headers.add(h);
            }
        }
        return headers;
    }
}
