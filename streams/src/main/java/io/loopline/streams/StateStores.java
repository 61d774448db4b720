package io.loopline.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Housekeeping of Streams state stores. */
public final class StateStores {

    private StateStores() {}

    /** Deletes every entry whose value matches (e.g. finished requests past their retention); returns how many. */
    public static <K, V> int deleteWhere(KeyValueStore<K, V> store, Predicate<V> matches) {
        List<K> doomed = new ArrayList<>();
        try (KeyValueIterator<K, V> all = store.all()) {
            all.forEachRemaining(kv -> {
                if (matches.test(kv.value)) {
                    doomed.add(kv.key);
                }
            });
        }
        doomed.forEach(store::delete);
        return doomed.size();
    }
}
