package io.loopline.schemas;

import io.loopline.state.AssemblyState;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The records services keep in Kafka Streams state stores. Their changelog topics outlive a release,
 * so they are versioned and kept readable like the events of {@link Topics}.
 */
public final class StateRecords {

    public static final List<Class<? extends SpecificRecord>> ALL = List.of(AssemblyState.class);

    private StateRecords() {}
}
