package io.loopline.mux.internals;

import io.loopline.core.config.RetryPolicy;
import io.loopline.events.SegmentRendered;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every {@link RequestTracker} of a mux instance shares for assembling videos: the thread pool
 * the {@link Assembly} steps run on, the assembler, the retry policy, and the bound on assemblies
 * started before their request's last segment is in — each holds an open encoder and a few
 * segments of frames in memory, so only a few requests encode early; the others start when they are
 * complete.
 */
public final class AssemblyPool {

    private final ExecutorService executor;
    private final VideoAssembler assembler;
    private final RetryPolicy retry;
    private final int earlyMax;
    private final AtomicInteger early = new AtomicInteger();

    public AssemblyPool(ExecutorService executor, VideoAssembler assembler, RetryPolicy retry, int earlyMax) {
        this.executor = executor;
        this.assembler = assembler;
        this.retry = retry;
        this.earlyMax = earlyMax;
    }

    /**
     * An assembly of {@code any}'s request: always when {@code complete} (every segment is stored),
     * otherwise only while fewer than the bound are open early; null when it has to wait.
     */
    Assembly start(SegmentRendered any, boolean complete) {
        if (complete) {
            return new Assembly(this, any, null);
        }
        while (true) {
            int now = early.get();
            if (now >= earlyMax) {
                return null;
            }
            if (early.compareAndSet(now, now + 1)) {
                return new Assembly(this, any, early::decrementAndGet);
            }
        }
    }

    /** Assemblies open before their last segment arrived, now. */
    public int openEarly() {
        return early.get();
    }

    ExecutorService executor() {
        return executor;
    }

    VideoAssembler assembler() {
        return assembler;
    }

    RetryPolicy retry() {
        return retry;
    }
}
