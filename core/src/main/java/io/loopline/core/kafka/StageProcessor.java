package io.loopline.core.kafka;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The work of one pipeline stage on one input event: what a service plugs into {@link StageWorker}.
 *
 * <p>Contract, which is what makes at-least-once delivery safe:
 * <ul>
 *   <li>Deterministic and idempotent: processing the same event again (redelivery, replay, retry)
 *       writes the same objects under the same keys and returns equal events.</li>
 *   <li>Throw {@link io.loopline.core.errors.RequestRejectedException} when the request can never
 *       succeed: the worker publishes {@code requests.failed} with its code and sentence.</li>
 *   <li>Throw {@link io.loopline.core.errors.TransientFaultException} (or let the object store's
 *       {@code StorageUnavailableException} through) for faults that may pass: the worker retries
 *       with backoff, then publishes a retryable failure.</li>
 *   <li>Any other exception is a bug: the request fails with {@code INTERNAL_ERROR}.</li>
 *   <li>Honour interruption: a worker that is stopped interrupts the processing thread.</li>
 * </ul>
 * The returned events are published (and acknowledged) before the input's offset is committed.
 */
@FunctionalInterface
public interface StageProcessor<V extends SpecificRecord> {

    List<OutboundEvent<?>> process(InboundEvent<V> event) throws Exception;
}
