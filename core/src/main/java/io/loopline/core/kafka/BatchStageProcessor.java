package io.loopline.core.kafka;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A {@link StageProcessor} that can also process several waiting events at once (e.g. render
 * segments through one batched model run). The worker batches only a prefix of its buffer of
 * polled records — so offsets are still committed in order — and only events the processor calls
 * {@link #compatible compatible} with the first. If {@link #processBatch} throws, the worker
 * processes the same events one by one with {@link #process}, so one bad event never fails others.
 */
public interface BatchStageProcessor<V extends SpecificRecord> extends StageProcessor<V> {

    /** Most events processed together; 1 turns batching off. */
    int maxBatch();

    /** Whether {@code next} may join a batch that starts with {@code first}. */
    boolean compatible(InboundEvent<V> first, InboundEvent<V> next);

    /** The outputs of each event, in the order of {@code events} (what {@link #process} would return for each). */
    List<List<OutboundEvent<?>>> processBatch(List<InboundEvent<V>> events) throws Exception;
}
