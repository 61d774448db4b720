package io.loopline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * Records with a valid header whose lengths claim far more than the record holds — the outside fault
 * harness's 23-byte record (a string of 2^31−9 bytes) and its relatives on every string, bytes, array and
 * map field — are refused as {@link SerializationException}s, never allocating what they claim (on this
 * suite's 2 GiB heap a 2 GiB allocation fails with OutOfMemoryError, which fails the test).
 */
class ClaimedLengthRecordsTest {

    /** The length the harness's record claims: the largest array a JVM allocates. */
    private static final long CLAIMED = (1L << 31) - 9;

    /** A claim below Avro's own guard on collections (a quarter of the heap). */
    private static final long CLAIMED_BELOW_AVROS_GUARD = 1L << 23;

    /** What refusing one such record may allocate: decoder, exception and message, nothing of the claimed size. */
    private static final long MAX_ALLOCATED = 1 << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final TopicCatalog catalog = TopicCatalog.defaults();

    @Test
    void theHarnessesTwentyThreeByteRecordIsRefusedOnEveryTopic() {
        for (TopicSpec<?> spec : Topics.ALL) {
            assertRefused(spec, SampleEvents.claimingTwoGigabytes(spec.valueType()), CLAIMED);
        }
    }

    @Test
    void everyLengthOrCountClaimingMoreThanTheRecordHoldsIsRefused() throws IOException {
        int poisoned = 0;
        for (Map.Entry<TopicSpec<?>, SpecificRecord> e :
                SampleEvents.oneOfEach().entrySet()) {
            SpecificRecord sample = e.getValue();
            for (long claim : new long[] {CLAIMED, CLAIMED_BELOW_AVROS_GUARD}) {
                List<byte[]> records = new ArrayList<>();
                claiming(sample, claim, header(sample.getSchema()).toByteArray(), records);
                for (byte[] record : records) {
                    assertRefused(e.getKey(), record, claim);
                }
                poisoned += records.size();
            }
        }
        assertThat(poisoned).as("poisoned variants tried").isGreaterThan(100);
    }

    /** Refused, having allocated no more than a small record's worth while reading it. */
    private void assertRefused(TopicSpec<?> spec, byte[] record, long claim) {
        Deserializer<?> deserializer = catalog.topic(spec).valueSerde().deserializer();
        String what = spec.valueType().getSimpleName() + " record of " + record.length + " bytes claiming " + claim;
        assertThatThrownBy(() -> deserializer.deserialize("t", record))
                .as(what)
                .isInstanceOf(SerializationException.class);
        // Measured the second time: the first also builds Avro's reader for the type (a few MB, once per type).
        long before = THREADS.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> deserializer.deserialize("t", record)).isInstanceOf(SerializationException.class);
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before)
                .as("bytes allocated refusing a %s", what)
                .isLessThan(MAX_ALLOCATED);
    }

    /**
     * Into {@code out}, for every string, bytes, array or map field of {@code record} and of the records nested in
     * it (and every union branch that is one): {@code prefix}, the fields before it as they are, then that field
     * claiming {@code claim} bytes or items.
     */
    private static void claiming(IndexedRecord record, long claim, byte[] prefix, List<byte[]> out) throws IOException {
        List<Schema.Field> fields = record.getSchema().getFields();
        for (int i = 0; i < fields.size(); i++) {
            Schema field = fields.get(i).schema();
            List<Schema> branches = field.getType() == Schema.Type.UNION ? field.getTypes() : List.of(field);
            for (int b = 0; b < branches.size(); b++) {
                Schema.Type type = branches.get(b).getType();
                boolean claims = type == Schema.Type.STRING
                        || type == Schema.Type.BYTES
                        || type == Schema.Type.ARRAY
                        || type == Schema.Type.MAP;
                boolean nested = type == Schema.Type.RECORD && record.get(i) instanceof IndexedRecord;
                if (!claims && !nested) {
                    continue;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(prefix);
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
                for (int before = 0; before < i; before++) {
                    new SpecificDatumWriter<>(fields.get(before).schema()).write(record.get(before), encoder);
                }
                if (branches.size() > 1) {
                    encoder.writeIndex(b);
                }
                if (nested) {
                    encoder.flush();
                    claiming((IndexedRecord) record.get(i), claim, bytes.toByteArray(), out);
                } else {
                    encoder.writeLong(claim);
                    encoder.writeFixed(new byte[8]);
                    encoder.flush();
                    out.add(bytes.toByteArray());
                }
            }
        }
    }

    /** Avro's single-object header for {@code schema}: marker C3 01 and the schema's fingerprint. */
    private static ByteArrayOutputStream header(Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        out.writeBytes(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(schema))
                .array());
        return out;
    }
}
