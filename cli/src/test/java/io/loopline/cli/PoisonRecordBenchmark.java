package io.loopline.cli;

import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.tensor.BenchmarkMachine;
import java.util.Locale;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * How long each topic's deserializer takes to refuse the outside fault harness's 23-byte record (its first string
 * claiming 2^31 − 9 bytes), at the heap the JVM runs with ({@code tools/bench.sh poison} gives it 512 MiB): the
 * first refusal of each type (which also builds Avro's reader for it) and the slowest of the next 2 000.
 *
 * <pre>tools/bench.sh poison</pre>
 */
public final class PoisonRecordBenchmark {

    private static final int REPEATS = 2_000;

    public static void main(String[] args) {
        TopicCatalog catalog = TopicCatalog.defaults();
        System.out.printf(Locale.ROOT, "heap: %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
        for (TopicSpec<?> spec : Topics.ALL) {
            Deserializer<?> deserializer = catalog.topic(spec).valueSerde().deserializer();
            byte[] record = SampleEvents.claimingTwoGigabytes(spec.valueType());
            long first = refuse(deserializer, record);
            long worst = 0;
            for (int i = 0; i < REPEATS; i++) {
                worst = Math.max(worst, refuse(deserializer, record));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-18s %d-byte record refused: first %.2f ms, slowest of the next %d %.2f ms%n",
                    spec.valueType().getSimpleName(),
                    record.length,
                    first / 1e6,
                    REPEATS,
                    worst / 1e6);
        }
        System.out.println("machine: " + BenchmarkMachine.describe());
    }

    /** Nanoseconds until the deserializer refused the record. */
    private static long refuse(Deserializer<?> deserializer, byte[] record) {
        long t0 = System.nanoTime();
        try {
            deserializer.deserialize("poison", record);
        } catch (SerializationException expected) {
            return System.nanoTime() - t0;
        }
        throw new IllegalStateException("The poisoned record was decoded");
    }
}
