package io.loopline.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store holding several numbered entries per request (e.g. its segments) under
 * {@code <request>/<index, six digits>}: the zero padding makes a prefix scan return them in index
 * order, and a duplicate of an entry lands on the same key.
 */
public final class PerRequestEntries {

    private PerRequestEntries() {}

    public static String key(String requestId, int index) {
        return requestId + "/" + String.format(Locale.ROOT, "%06d", index);
    }

    /** The request's entries, in index order. */
    public static <V> List<KeyValue<String, V>> of(KeyValueStore<String, V> store, String requestId) {
        List<KeyValue<String, V>> out = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(requestId + "/", new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    public static <V> void deleteAll(KeyValueStore<String, V> store, String requestId) {
        of(store, requestId).forEach(kv -> store.delete(kv.key));
    }
}
