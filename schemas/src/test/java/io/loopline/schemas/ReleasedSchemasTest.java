package io.loopline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class ReleasedSchemasTest {

    private final ReleasedSchemas released = ReleasedSchemas.get();

    @Test
    void everyCatalogEventAndStateRecordIsReleasedAsItIsNow() {
        List<Class<?>> types = new ArrayList<>();
        Topics.ALL.forEach(spec -> types.add(spec.valueType()));
        types.addAll(StateRecords.ALL);
        for (Class<?> type : types) {
            Schema current = SpecificData.get().getSchema(type);
            List<ReleasedSchemas.Version> versions = released.versions(current.getFullName());
            assertThat(versions)
                    .as("released versions of %s", current.getFullName())
                    .isNotEmpty();
            ReleasedSchemas.Version latest = versions.get(versions.size() - 1);
            assertThat(latest.fingerprint())
                    .as(
                            "%s changed since its last release (%s). Released schemas are never edited: add %s.v%d.avsc "
                                    + "to the released folder and index.txt with this content:%n%s",
                            current.getFullName(),
                            latest.resource(),
                            current.getName(),
                            latest.version() + 1,
                            SchemaFormatter.getInstance("json/pretty").format(current))
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
        }
    }

    @Test
    void todaysClassesReadEveryReleasedVersion() {
        for (ReleasedSchemas.Version version : released.all()) {
            Schema reader = SpecificData.get().getSchema(SpecificData.get().getClass(version.schema()));
            var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, version.schema());
            assertThat(result.getType())
                    .as("%s v%d must stay readable: %s", version.fullName(), version.version(), result.getDescription())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void olderReadersReadNewerVersionsToo() {
        // Forward compatibility: a service not yet upgraded keeps consuming what an upgraded one writes.
        for (ReleasedSchemas.Version older : released.all()) {
            for (ReleasedSchemas.Version newer : released.versions(older.fullName())) {
                if (newer.version() > older.version()) {
                    var result = SchemaCompatibility.checkReaderWriterCompatibility(older.schema(), newer.schema());
                    assertThat(result.getType())
                            .as("%s v%d reading v%d", older.fullName(), older.version(), newer.version())
                            .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                }
            }
        }
    }

    @Test
    void generationRequestHasARealSecondVersionASignatureFromTheThirdAndAutoModeFromTheFourth() {
        List<ReleasedSchemas.Version> requests = released.versions("io.loopline.events.GenerationRequest");
        assertThat(requests).extracting(ReleasedSchemas.Version::version).containsExactly(1, 2, 3, 4);
        assertThat(requests.get(1).schema().getField("signature")).isNull();
        assertThat(requests.get(2).schema().getField("signature")).isNotNull();
        Schema oldMode = requests.get(2)
                .schema()
                .getField("options")
                .schema()
                .getField("mode")
                .schema();
        Schema newMode = requests.get(3)
                .schema()
                .getField("options")
                .schema()
                .getField("mode")
                .schema();
        assertThat(oldMode.getEnumSymbols()).doesNotContain("AUTO");
        assertThat(newMode.getEnumSymbols()).contains("AUTO");
        // A service that predates AUTO reads it as the enum's default, PORTRAIT, rather than failing.
        assertThat(oldMode.getEnumDefault()).isEqualTo("PORTRAIT");
    }

    @Test
    void mediaValidatedCarriesTheBodyFromItsThirdVersion() {
        List<ReleasedSchemas.Version> versions = released.versions("io.loopline.events.MediaValidated");
        assertThat(versions).extracting(ReleasedSchemas.Version::version).containsExactly(1, 2, 3);
        assertThat(versions.get(1).schema().getField("body")).isNull();
        assertThat(versions.get(2).schema().getField("body")).isNotNull();
    }

    @Test
    void mediaValidatedAndRenderTaskHaveASecondVersionWithTheMouthRest() {
        for (String name : List.of("io.loopline.events.MediaValidated", "io.loopline.events.RenderTask")) {
            List<ReleasedSchemas.Version> versions = released.versions(name);
            assertThat(versions)
                    .extracting(ReleasedSchemas.Version::version)
                    .as(name)
                    .startsWith(1, 2);
            assertThat(versions.get(0).schema().getField("face").schema().getField("mouth_rest"))
                    .as(name + " v1")
                    .isNull();
            assertThat(versions.get(1).schema().getField("face").schema().getField("mouth_rest"))
                    .as(name + " v2")
                    .isNotNull();
        }
    }

    @Test
    void segmentsCarryWhatMuxMeasuresFromTheSecondVersionOn() {
        List<ReleasedSchemas.Version> segments = released.versions("io.loopline.events.SegmentRendered");
        assertThat(segments).extracting(ReleasedSchemas.Version::version).containsExactly(1, 2, 3, 4);
        for (String field : List.of("reference", "landmarks", "audio")) {
            assertThat(segments.get(0).schema().getField(field))
                    .as("SegmentRendered v1 %s", field)
                    .isNull();
            assertThat(segments.get(1).schema().getField(field))
                    .as("SegmentRendered v2 %s", field)
                    .isNotNull();
        }
        assertThat(segments.get(1).schema().getField("next_frame_start")).isNull();
        assertThat(segments.get(2).schema().getField("next_frame_start")).isNotNull();
        List<ReleasedSchemas.Version> tasks = released.versions("io.loopline.events.RenderTask");
        assertThat(tasks.get(1).schema().getField("audio")).isNull();
        assertThat(tasks.get(2).schema().getField("audio")).isNotNull();
        // The body (half-body requests) travels with the tasks from version 5, with the segments from version 4.
        assertThat(tasks.get(3).schema().getField("body")).isNull();
        assertThat(tasks.get(4).schema().getField("body")).isNotNull();
        assertThat(segments.get(2).schema().getField("body")).isNull();
        assertThat(segments.get(3).schema().getField("body")).isNotNull();
    }

    @Test
    void everyEventCarriesTheCommonFields() {
        for (TopicSpec<?> spec : Topics.ALL) {
            Schema schema = SpecificData.get().getSchema(spec.valueType());
            assertThat(schema.getField(EventFields.REQUEST_ID))
                    .as("%s.request_id", schema.getName())
                    .isNotNull();
            assertThat(schema.getField(EventFields.TENANT))
                    .as("%s.tenant", schema.getName())
                    .isNotNull();
            assertThat(schema.getField(EventFields.REQUESTED_AT))
                    .as("%s.requested_at", schema.getName())
                    .isNotNull();
        }
        assertThat(EventFields.requestId(SampleEvents.renderTask())).isEqualTo("r1");
        assertThat(EventFields.tenant(SampleEvents.renderTask())).isEqualTo("t1");
        assertThat(EventFields.requestedAt(SampleEvents.renderTask())).isEqualTo(SampleEvents.REQUESTED_AT);
    }
}
