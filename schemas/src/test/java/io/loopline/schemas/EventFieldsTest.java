package io.loopline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.events.GenerationRequest;
import io.loopline.events.ObjectRef;
import java.time.Instant;
import org.apache.avro.data.RecordBuilder;
import org.junit.jupiter.api.Test;

class EventFieldsTest {

    @Test
    void copiesTheEnvelopeIntoTheBuilderOfEveryCatalogEvent() throws Exception {
        GenerationRequest from = GenerationRequest.newBuilder(SampleEvents.request("t9", "r9"))
                .setRequestedAt(Instant.parse("2026-12-02T04:05:06.007Z"))
                .build();
        for (TopicSpec<?> spec : Topics.ALL) {
            RecordBuilder<?> builder =
                    (RecordBuilder<?>) spec.valueType().getMethod("newBuilder").invoke(null);
            assertThat(EventFields.copyEnvelope(from, builder)).isSameAs(builder);
            Class<?> type = builder.getClass();
            assertThat(type.getMethod("getRequestId").invoke(builder))
                    .as(spec.baseName())
                    .isEqualTo("r9");
            assertThat(type.getMethod("getTenant").invoke(builder))
                    .as(spec.baseName())
                    .isEqualTo("t9");
            assertThat(type.getMethod("getRequestedAt").invoke(builder))
                    .as(spec.baseName())
                    .isEqualTo(from.getRequestedAt());
        }
    }

    @Test
    void refusesABuilderWithoutAnEnvelope() {
        assertThatThrownBy(() -> EventFields.copyEnvelope(SampleEvents.request("t", "r"), ObjectRef.newBuilder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ObjectRef");
    }
}
