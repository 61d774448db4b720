package io.loopline.feature;

import io.loopline.model.pack.PackManifest.Clip;
import java.util.ArrayList;
import java.util.List;

/**
 * How a video of {@code totalFrames} is cut into clip segments of {@code clipFrames}, each sharing
 * {@code overlap} frames with the previous one (blended by mux). Segments start every
 * {@code clipFrames − overlap} frames; together they cover every frame, the last one padded past the
 * end (mux trims the video back to the audio).
 */
public record SegmentPlan(int totalFrames, int clipFrames, int overlap, List<Segment> segments) {

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
        return new SegmentPlan(totalFrames, clipFrames, overlap, List.copyOf(segments));
    }

    /** Overlap of segment k with its predecessor (0 for the first). */
    public int overlapOf(int k) {
        return k == 0 ? 0 : overlap;
    }
}
