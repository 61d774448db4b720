package io.loopline.core.service;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Runs one action on several things at once and waits for all of them. */
public final class SideBySide {

    private SideBySide() {
    }

    /**
     * Runs {@code action} on every item at once, each on its own thread, and returns when all are done;
     * fails with a {@link java.util.concurrent.CompletionException} around the first failure.
     */
    public static <T> void run(Collection<? extends T> items, Consumer<? super T> action) {
        CompletableFuture.allOf(items.stream().map(item -> CompletableFuture.runAsync(() -> action.accept(item)))
            .toArray(CompletableFuture[]::new)).join();
    }
}
