package io.loopline.mux.internals;

/**
 * Turns a request's segments, given in order, into the video's frames in order: frames only one
 * segment covers pass through; where a segment overlaps the previous one, the two cross-fade
 * linearly (the new segment's weight rising from 1/(n+1) to n/(n+1) over n overlapping frames);
 * frames past the end of the audio (the last segment's padding) are dropped. Holds back only the frames
 * the next segment may still overlap: all of a segment that does not say where the next one begins.
 */
public final class SegmentBlender {

    /** Receives each output frame once, in order: its stored bytes (I420, see FrameCodec) at {@code offset}. */
    @FunctionalInterface
    public interface FrameSink {
        void frame(int index, byte[] frame, int offset, boolean segmentStart) throws Exception;
    }

    private final int totalFrames;
    private final int frameBytes;
    private final FrameSink sink;
    private final byte[] blended;
    private byte[] previous;
    private int previousStart;
    private int previousCount;
    private int next;

    public SegmentBlender(int totalFrames, int frameBytes, FrameSink sink) {
        this.totalFrames = totalFrames;
        this.frameBytes = frameBytes;
        this.sink = sink;
        this.blended = new byte[frameBytes];
    }

    /**
     * The next segment: {@code count} frames from video frame {@code start}, {@code frameBytes} each; its frames
     * before {@code finalBefore} (where the next segment begins) go out now, the rest once the next segment is in.
     *
     * @throws IllegalArgumentException when it leaves a gap after the frames so far, goes backwards, or starts
     *     before a frame the previous segment declared final
     */
    public void add(int start, int count, byte[] frames, int finalBefore) throws Exception {
        if ((long) count * frameBytes != frames.length) {
            throw new IllegalArgumentException(
                    "Segment at frame " + start + " holds " + frames.length + " bytes, not " + count + " frames");
        }
        if (previous == null) {
            if (start != 0) {
                throw new IllegalArgumentException("The first segment starts at frame " + start + ", not 0");
            }
        } else {
            if (start > previousStart + previousCount || start <= previousStart) {
                throw new IllegalArgumentException("Segment at frame " + start + " does not follow the one at frame "
                        + previousStart + " (" + previousCount + " frames)");
            }
            if (start < next) {
                throw new IllegalArgumentException("Segment at frame " + start + " overlaps frame " + (next - 1)
                        + ", which the segment before it declared final");
            }
            for (int t = next; t < Math.min(start, totalFrames); t++) {
                sink.frame(t, previous, (t - previousStart) * frameBytes, t == previousStart && t > 0);
            }
            int overlapEnd = Math.min(Math.min(previousStart + previousCount, start + count), totalFrames);
            int n = overlapEnd - start;
            for (int t = start; t < overlapEnd; t++) {
                int j = t - start;
                blend(previous, (t - previousStart) * frameBytes, frames, j * frameBytes, (j + 1f) / (n + 1f));
                sink.frame(t, blended, 0, j == 0);
            }
            next = Math.max(start, overlapEnd);
        }
        previous = frames;
        previousStart = start;
        previousCount = count;
        int finalEnd = Math.min(Math.min(finalBefore, start + count), totalFrames);
        for (int t = next; t < finalEnd; t++) {
            sink.frame(t, previous, (t - previousStart) * frameBytes, t == previousStart && t > 0);
        }
        next = Math.max(next, finalEnd);
    }

    /** Emits the rest of the last segment. @throws IllegalStateException when the segments did not reach the last frame */
    public void finish() throws Exception {
        if (previous != null) {
            int end = Math.min(previousStart + previousCount, totalFrames);
            for (int t = next; t < end; t++) {
                sink.frame(t, previous, (t - previousStart) * frameBytes, t == previousStart && t > 0);
            }
            next = Math.max(next, end);
        }
        if (next < totalFrames) {
            throw new IllegalStateException("The segments end at frame " + next + " of " + totalFrames);
        }
    }

    private void blend(byte[] a, int aOffset, byte[] b, int bOffset, float weightB) {
        float weightA = 1f - weightB;
        for (int i = 0; i < frameBytes; i++) {
            // Rounded half up: the sum is never negative, so adding ½ and truncating is Math.round without its slow
            // path.
            blended[i] = (byte) (int) ((a[aOffset + i] & 0xFF) * weightA + (b[bOffset + i] & 0xFF) * weightB + 0.5f);
        }
    }
}
