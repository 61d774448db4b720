package io.loopline.core.service;

import io.loopline.core.concurrent.DaemonThreads;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** Runs one action on several things at once and waits for all of them. */
public final class SideBySide {

    private SideBySide() {}

    /**
     * Runs {@code action} on every item at once, each on its own thread, and returns when all are done;
     * fails with a {@link java.util.concurrent.CompletionException} around the first failure. The threads are
     * its own: the actions block (a service starting or stopping), which the common pool is not for, and
     * on a two-core machine it has a single thread.
     */
    public static <T> void run(Collection<? extends T> items, Consumer<? super T> action) {
        if (items.isEmpty()) {
            return;
        }
        ExecutorService threads = Executors.newFixedThreadPool(items.size(), DaemonThreads.numbered("side-by-side"));
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>(items.size());
            for (T item : items) {
                all.add(CompletableFuture.runAsync(() -> action.accept(item), threads));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
    }
}
