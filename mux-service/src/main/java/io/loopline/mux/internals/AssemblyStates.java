package io.loopline.mux.internals;

import io.loopline.events.SegmentRendered;
import io.loopline.state.AssemblyPhase;
import io.loopline.state.AssemblyState;
import java.time.Instant;

/**
 * How a request's {@link AssemblyState} moves: COLLECTING while segments arrive, ASSEMBLING once every
 * one is stored, then COMPLETED or FAILED, which are final (a replayed request or a late duplicate
 * segment changes nothing).
 */
final class AssemblyStates {

    private AssemblyStates() {}

    static boolean isFinal(AssemblyState s) {
        return s != null && (s.getPhase() == AssemblyPhase.COMPLETED || s.getPhase() == AssemblyPhase.FAILED);
    }

    /** Whether every segment is stored and the video is being made (and so must be resumed after a restart). */
    static boolean isAssembling(AssemblyState s) {
        return s != null && s.getPhase() == AssemblyPhase.ASSEMBLING;
    }

    /** Whether a segment may still change the request: it is neither finished nor complete. */
    static boolean isCollecting(AssemblyState s) {
        return s == null || s.getPhase() == AssemblyPhase.COLLECTING || s.getPhase() == AssemblyPhase.UNKNOWN;
    }

    /** A segment stored: {@code added} says whether it was new (a re-render lands on a stored one). */
    static AssemblyState stored(AssemblyState current, String requestId, SegmentRendered s, boolean added, long now) {
        int stored = (current == null ? 0 : current.getSegmentsStored()) + (added ? 1 : 0);
        return AssemblyState.newBuilder()
                .setRequestId(requestId)
                .setPhase(stored >= s.getSegmentCount() ? AssemblyPhase.ASSEMBLING : AssemblyPhase.COLLECTING)
                .setSegmentCount(s.getSegmentCount())
                .setSegmentsStored(stored)
                .setUpdatedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** The request ended with {@code phase} (COMPLETED or FAILED); a request unknown so far is remembered as ended too. */
    static AssemblyState ended(AssemblyState current, String requestId, AssemblyPhase phase, long now) {
        AssemblyState.Builder next = current != null
                ? AssemblyState.newBuilder(current)
                : AssemblyState.newBuilder().setRequestId(requestId);
        return next.setPhase(phase).setUpdatedAt(Instant.ofEpochMilli(now)).build();
    }
}
