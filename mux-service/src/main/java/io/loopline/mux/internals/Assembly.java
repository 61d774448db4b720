package io.loopline.mux.internals;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.Faults;
import io.loopline.events.RequestFailed;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.events.VideoStreaming;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembly of one request's video, fed its segments as they are stored — possibly before the
 * last one is rendered. Each segment that can go into the video next is encoded by a step on the
 * shared assembly pool; a step that finds the next segment missing ends, so no pool thread ever
 * waits for rendering and a request whose segments are all in never queues behind one that is still
 * rendering. Once the last segment is in, the video is finished, uploaded and {@link #outcome}
 * completes. A transient fault restarts the encoding from the first segment after a backoff (the
 * upload overwrites the same object); other faults end it as a failure.
 *
 * <p>{@link #offer} and {@link #cancel} are called from the Streams thread, the steps run on the pool.
 */
public final class Assembly {

    private static final Logger log = LoggerFactory.getLogger(Assembly.class);

    /** What an assembly ended with: the completion, or the failure to report. */
    public record Outcome(VideoCompleted completed, RequestFailed failed) {}

    private final AssemblyPool pool;
    /** Any of the request's segments: what a failure event describes the request by. */
    private final SegmentRendered about;

    private final SegmentRendered[] offered;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    /** A step is queued or running; guarded by this. */
    private boolean scheduled;

    private Future<?> step;
    private boolean cancelled;
    /** Touched by the steps only (one at a time). */
    private VideoAssembler.Encoding encoding;

    private int attempt = 1;

    /** @param onEnd run once when the assembly ends (done, failed or cancelled); may be null */
    Assembly(AssemblyPool pool, SegmentRendered any, Runnable onEnd) {
        this.pool = pool;
        if (onEnd != null) {
            outcome.whenComplete((o, e) -> onEnd.run());
        }
        this.about = any;
        this.offered = new SegmentRendered[any.getSegmentCount()];
    }

    /** Completes once the video is uploaded, or the assembly failed for good. */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /** The announcement that the video's stream can be watched, once its first segment is up; empty before. */
    public Optional<VideoStreaming> streaming() {
        return Optional.ofNullable(streaming);
    }

    /** Set by the assembly thread, read by the Streams thread's punctuator. */
    private volatile VideoStreaming streaming;

    private void noteStreaming() {
        if (streaming == null && encoding != null) {
            streaming = encoding.streaming().orElse(null);
        }
    }

    /**
     * A stored segment (duplicates are ignored): encoded as soon as the ones before it are. One that
     * cannot belong to this request's plan (index or count off) is logged and left out: this runs on the
     * Streams thread, where throwing would only make the thread fail on the same record again.
     */
    public void offer(SegmentRendered segment) {
        int index = segment.getSegmentIndex();
        if (index < 0 || index >= offered.length || segment.getSegmentCount() != offered.length) {
            log.warn(
                    "Ignoring segment {} of {} for {}: its plan has {} segments",
                    index,
                    segment.getSegmentCount(),
                    about.getRequestId(),
                    offered.length);
            return;
        }
        synchronized (this) {
            if (offered[index] == null) {
                offered[index] = segment;
            }
        }
        scheduleIfReady();
    }

    /** Stops the assembly (the request failed, or its task moved away) and releases what it holds. */
    public void cancel() {
        synchronized (this) {
            cancelled = true;
            if (step != null) {
                step.cancel(true);
            }
            if (!scheduled) {
                release();
            }
        }
        outcome.cancel(false);
    }

    private void scheduleIfReady() {
        synchronized (this) {
            int index = position();
            if (scheduled || cancelled || outcome.isDone() || isMissing(index)) {
                return;
            }
            scheduled = true;
            step = pool.executor().submit(this::step);
        }
    }

    /** Whether the segment at {@code index} is needed next but not offered yet (past the last one, the video only needs finishing). */
    private boolean isMissing(int index) {
        return index < offered.length && offered[index] == null;
    }

    /** The index of the segment the video needs next; the segment count once every segment is in. */
    private int position() {
        return encoding == null ? 0 : encoding.nextIndex();
    }

    /** On the pool: encodes every segment that can go in now, finishes the video after the last one. */
    private void step() {
        boolean handedOver = false;
        try {
            while (true) {
                SegmentRendered next;
                synchronized (this) {
                    if (cancelled) {
                        return;
                    }
                    int index = position();
                    if (isMissing(index)) {
                        // Waiting for rendering is not work: the offer of this segment schedules the next step.
                        scheduled = false;
                        handedOver = true;
                        return;
                    }
                    next = index < offered.length ? offered[index] : null;
                }
                if (!(next == null ? finishVideo() : advance(next))) {
                    return;
                }
            }
        } finally {
            synchronized (this) {
                if (!handedOver) {
                    scheduled = false;
                }
                if (cancelled || outcome.isDone()) {
                    release();
                }
            }
        }
    }

    /** Encodes one segment; false when the assembly ended (failed for good, or interrupted). */
    private boolean advance(SegmentRendered segment) {
        try {
            if (encoding == null) {
                encoding = pool.assembler().open(segment);
            }
            for (int ahead = 1; ahead <= VideoAssembler.PREFETCH_SEGMENTS; ahead++) {
                SegmentRendered later = offeredAt(segment.getSegmentIndex() + ahead);
                if (later != null) {
                    encoding.prefetch(later);
                }
            }
            encoding.add(segment);
            noteStreaming();
            return true;
        } catch (Exception e) {
            return handle(e);
        }
    }

    /** After the last segment: false when done (the outcome is set) or ended; true to start again after a transient fault. */
    private boolean finishVideo() {
        try {
            VideoCompleted completed = encoding.finish();
            noteStreaming();
            release();
            outcome.complete(new Outcome(completed, null));
            return false;
        } catch (Exception e) {
            return handle(e);
        }
    }

    /** What a fault means: true to go on (from the first segment again, after a backoff), false when the assembly ended. */
    private boolean handle(Exception e) {
        if (e instanceof InterruptedException || Thread.currentThread().isInterrupted() || isCancelled()) {
            Thread.currentThread().interrupt();
            return false;
        }
        Faults.Verdict verdict = Faults.verdict(e, Stage.MUX, about.getRequestId(), attempt, pool.retry());
        if (verdict instanceof Faults.Retry again) {
            log.warn(
                    "Assembly of {}: attempt {} met a transient fault, starting again in {} ms: {}",
                    about.getRequestId(),
                    attempt,
                    again.backoff().toMillis(),
                    e.toString());
            attempt++;
            release();
            try {
                Thread.sleep(again.backoff().toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true; // every segment so far is still offered
        }
        Faults.Fail fail = (Faults.Fail) verdict;
        if (fail.code() == ErrorCode.INTERNAL_ERROR) {
            log.error("Assembly of {} failed", about.getRequestId(), e);
        }
        return fail(fail.code(), fail.message(), fail.retryable(), fail.details());
    }

    private boolean fail(ErrorCode code, String message, boolean retryable, Map<String, String> details) {
        synchronized (this) {
            if (encoding != null) {
                encoding.endStream();
            }
        }
        release();
        outcome.complete(
                new Outcome(null, Faults.failure(about, Stage.MUX, code, message, retryable, attempt, details)));
        return false;
    }

    private synchronized SegmentRendered offeredAt(int index) {
        return index < offered.length ? offered[index] : null;
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Closes the open encoding, if any (idempotent). */
    private synchronized void release() {
        if (encoding != null) {
            encoding.close();
            encoding = null;
        }
    }
}
