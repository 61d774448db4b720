package io.loopline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.MouthRestState;
import io.loopline.events.Priority;
import io.loopline.events.RenderTask;
import io.loopline.schemas.serde.SingleObjectAvroDeserializer;
import io.loopline.schemas.serde.SingleObjectAvroSerializer;
import io.loopline.schemas.serde.UnknownSchemaException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectAvroSerdeTest {

    private final TopicCatalog catalog = TopicCatalog.defaults();

    @Test
    void everyEventRoundTrips() {
        for (Map.Entry<TopicSpec<?>, SpecificRecord> e :
                SampleEvents.oneOfEach().entrySet()) {
            assertThat(roundTrip(e.getKey(), e.getValue()))
                    .as(e.getKey().baseName())
                    .isEqualTo(e.getValue());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object roundTrip(TopicSpec spec, SpecificRecord event) {
        Topic topic = catalog.topic(spec);
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), event);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        return topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
    }

    @Test
    void aRequestWrittenWithVersionOneIsReadByTodaysCode() {
        byte[] bytes = SampleEvents.requestWrittenWithVersion1("acme", "old-1", "HALF_BODY", 256, 7);
        Serde<GenerationRequest> serde = catalog.topic(Topics.REQUESTS).valueSerde();
        GenerationRequest read = serde.deserializer().deserialize("loopline.requests", bytes);

        assertThat(read.getRequestId()).isEqualTo("old-1");
        assertThat(read.getRequestedAt()).isEqualTo(SampleEvents.REQUESTED_AT);
        assertThat(read.getOptions().getOutputSize()).isEqualTo(256);
        assertThat(read.getOptions().getFps()).isNull();
        assertThat(read.getOptions().getMode().name()).isEqualTo("HALF_BODY");
        assertThat(read.getOptions().getPriority())
                .as("default of the field added in v2")
                .isEqualTo(Priority.NORMAL);
    }

    @Test
    void mediaValidatedAndRenderTasksWrittenWithVersionOneAreReadByTodaysCodeWithoutAMouthRest() {
        // Version 2 added face.mouth_rest: records from an ingest (or feature) not yet upgraded read it as null.
        byte[] validatedV1 = SampleEvents.writtenWithVersion(SampleEvents.mediaValidated(), 1);
        MediaValidated validated = catalog.topic(Topics.MEDIA_VALIDATED)
                .valueSerde()
                .deserializer()
                .deserialize("loopline.media.validated", validatedV1);
        assertThat(ByteBuffer.wrap(validatedV1, 2, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong())
                .isEqualTo(ReleasedSchemas.get()
                        .versions(MediaValidated.getClassSchema().getFullName())
                        .get(0)
                        .fingerprint());
        assertThat(validated.getFace().getMouthRest()).isNull();
        assertThat(validated.getFace().getLandmarks())
                .isEqualTo(SampleEvents.face().getLandmarks());
        assertThat(validated.getWarnings())
                .isEqualTo(SampleEvents.mediaValidated().getWarnings());

        RenderTask task = catalog.topic(Topics.RENDER_TASKS)
                .valueSerde()
                .deserializer()
                .deserialize("loopline.render.tasks", SampleEvents.writtenWithVersion(SampleEvents.renderTask(), 1));
        assertThat(task.getFace().getMouthRest()).isNull();
        assertThat(task.getSegmentIndex()).isEqualTo(1);
    }

    @Test
    void theMouthRestRoundTripsInVersionTwo() {
        MediaValidated validated = roundTripTyped(Topics.MEDIA_VALIDATED, SampleEvents.mediaValidated());
        assertThat(validated.getFace().getMouthRest().getState()).isEqualTo(MouthRestState.TEETH);
        assertThat(validated.getFace().getMouthRest().getLipGapProfile()).hasSize(9);
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> T roundTripTyped(TopicSpec<T> spec, T event) {
        return (T) roundTrip(spec, event);
    }

    @Test
    void anUnknownFingerprintIsATypedErrorNamingFingerprintAndTopic() {
        Schema foreign = new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"GenerationRequest\",\"namespace\":\"io.loopline.events\","
                                + "\"fields\":[{\"name\":\"request_id\",\"type\":\"string\"},{\"name\":\"from_the_future\",\"type\":\"int\"}]}");
        GenericRecord record = new GenericData.Record(foreign);
        record.put("request_id", "x");
        record.put("from_the_future", 1);
        byte[] bytes = SampleEvents.singleObjectEncoded(foreign, record);
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

        assertThatThrownBy(() -> catalog.topic(Topics.REQUESTS)
                        .valueSerde()
                        .deserializer()
                        .deserialize("loopline.requests", bytes))
                .isInstanceOfSatisfying(UnknownSchemaException.class, e -> {
                    assertThat(e.fingerprint()).isEqualTo(fingerprint);
                    assertThat(e.topic()).isEqualTo("loopline.requests");
                })
                .hasMessageContaining(String.format("%016x", fingerprint))
                .hasMessageContaining("loopline.requests");
    }

    @Test
    void garbageIsASerializationException() {
        var deserializer = catalog.topic(Topics.REQUESTS).valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", "not avro at all".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not Avro single-object encoded");
        byte[] truncated = catalog.topic(Topics.REQUESTS)
                .valueSerde()
                .serializer()
                .serialize("t", SampleEvents.request("t1", "r1"));
        byte[] cut = Arrays.copyOf(truncated, truncated.length / 2);
        assertThatThrownBy(() -> deserializer.deserialize("t", cut)).isInstanceOf(SerializationException.class);
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void theSerdeIsChosenByClassName() {
        TopicCatalog custom = new TopicCatalog(
                "x.",
                new TopicCatalog.SerdeSettings(
                        RecordingSerializer.class.getName(),
                        SingleObjectAvroDeserializer.class.getName(),
                        Map.of("some.registry.url", "http://registry:8081")),
                Map.of());
        Topic<GenerationRequest> topic = custom.topic(Topics.REQUESTS);
        assertThat(topic.name()).isEqualTo("x.requests");
        assertThat(topic.valueSerde().serializer()).isInstanceOf(RecordingSerializer.class);
        assertThat(((RecordingSerializer) (Object) topic.valueSerde().serializer()).configs)
                .containsEntry("some.registry.url", "http://registry:8081");
    }

    /** Stands in for a registry serializer (Confluent's, Apicurio's) to show the class-name switch. */
    public static final class RecordingSerializer extends SingleObjectAvroSerializer<SpecificRecord> {
        Map<String, Object> configs;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configs = Map.copyOf(configs);
        }
    }
}
