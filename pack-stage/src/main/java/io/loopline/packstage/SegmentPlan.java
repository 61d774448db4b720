package io.loopline.packstage;

import io.loopline.model.pack.PackManifest.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * How a video of {@code totalFrames} is cut into segments of the pack's clip length, each sharing the
 * clip's overlap with the previous one (blended by mux). Segments start every {@link Clip#stride()}
 * frames; together they cover every frame, the last one padded past the end (mux trims the video back to
 * the audio). Feature plans the segments with it, and render reads the next chained segment and the
 * motion history's frames from the same plan.
 */
public record SegmentPlan(int totalFrames, Clip clip, List<Segment> segments) {

    /** One segment: its first frame and its frame count (always the clip length). */
    public record Segment(int index, int frameStart, int frameCount) {}

    public static SegmentPlan of(int totalFrames, Clip clip) {
        int clipFrames = clip.frames();
        int overlap = clip.overlap();
        if (totalFrames < 1 || clipFrames < 1 || overlap < 0 || overlap >= clipFrames) {
            throw new IllegalArgumentException(
                    "Cannot plan " + totalFrames + " frames in clips of " + clipFrames + " overlapping " + overlap);
        }
        int stride = clip.stride();
        int count = totalFrames <= clipFrames ? 1 : 1 + (int) Math.ceil((totalFrames - clipFrames) / (double) stride);
        List<Segment> segments = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            segments.add(new Segment(k, k * stride, clipFrames));
        }
        return new SegmentPlan(totalFrames, clip, List.copyOf(segments));
    }

    /** Overlap of segment k with its predecessor (0 for the first). */
    public int overlapOf(int k) {
        return k == 0 ? 0 : clip.overlap();
    }

    /**
     * One frame of a segment's motion history: video frame {@code frame}, stored as frame {@code offset} of
     * segment {@code segment}; {@code segment} is -1 when the frame lies before the video's start.
     */
    public record HistoryFrame(int frame, int segment, int offset) {
        public boolean exists() {
            return segment >= 0;
        }
    }

    /**
     * The motion history of segment {@code k} (Loopy's Temporal Segment Module): for each of {@code strides},
     * the frame that many frames before the segment's first, in the latest earlier segment that holds it — the
     * one chained rendering stored most recently.
     */
    public List<HistoryFrame> history(int k, List<Integer> strides) {
        int start = segments.get(k).frameStart();
        List<HistoryFrame> out = new ArrayList<>(strides.size());
        for (int back : strides) {
            int frame = start - back;
            if (frame < 0) {
                out.add(new HistoryFrame(frame, -1, -1));
            } else {
                int segment = frame / clip.stride();
                out.add(new HistoryFrame(frame, segment, frame - segment * clip.stride()));
            }
        }
        return out;
    }
}
