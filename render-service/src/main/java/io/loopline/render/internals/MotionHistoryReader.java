package io.loopline.render.internals;

import io.loopline.core.errors.TransientFaultException;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.events.ObjectRef;
import io.loopline.packstage.SegmentPlan;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Npy;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a chained segment's motion history — the frames its pack's strides name — from the segments
 * rendered before it, as RGB [3, H, W] in [-1, 1] (the frames exactly as stored, so a re-render reads the
 * same history and renders the same bytes). A history object that cannot be read (missing, corrupt, storage
 * unreachable) is a transient fault: the task is tried again, and nothing is rendered from a guess.
 */
public final class MotionHistoryReader {

    /** How the stored segments are read (verified): the object store in the service, anything in tests. */
    @FunctionalInterface
    public interface Segments {
        byte[] read(ObjectRef ref) throws ObjectNotFoundException, IOException;
    }

    /** Segments decoded lately: consecutive segments of a chain read mostly the same few. */
    private static final int RECENT_SEGMENTS = 3;

    private final Segments segments;
    private final Map<ObjectRef, Npy.ByteTensor> recent = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectRef, Npy.ByteTensor> eldest) {
            return size() > RECENT_SEGMENTS;
        }
    };

    public MotionHistoryReader(Segments segments) {
        this.segments = segments;
    }

    /**
     * The history of segment {@code index} of {@code plan}: one frame per stride, null for a frame before the
     * video's start.
     *
     * @param rendered the frames of segments 0 … index − 1, in order (the chained task's {@code motion_history})
     * @throws IllegalStateException when the task lists fewer earlier segments than the history needs
     */
    public float[][] read(
            SegmentPlan plan, int index, List<Integer> strides, List<ObjectRef> rendered, int height, int width) {
        List<SegmentPlan.HistoryFrame> wanted = plan.history(index, strides);
        float[][] frames = new float[wanted.size()][];
        for (int k = 0; k < frames.length; k++) {
            SegmentPlan.HistoryFrame h = wanted.get(k);
            if (!h.exists()) {
                continue;
            }
            if (h.segment() >= rendered.size()) {
                throw new IllegalStateException("Segment " + index + " needs frame " + h.frame() + " of segment "
                        + h.segment() + ", but its task lists only " + rendered.size() + " rendered segments");
            }
            Npy.ByteTensor stored = decoded(rendered.get(h.segment()));
            int[] shape = stored.shape();
            if (shape[1] != height * 3 / 2 || shape[2] != width || h.offset() >= shape[0]) {
                throw new IllegalStateException("Segment " + h.segment() + " holds frames of shape "
                        + Arrays.toString(shape) + ", not frame " + h.offset() + " at " + width + "×" + height);
            }
            float[] rgb = new float[3 * height * width];
            FrameCodec.cropToRgb(
                    stored.data(),
                    h.offset() * FrameCodec.frameBytes(height, width),
                    height,
                    width,
                    0,
                    0,
                    width,
                    height,
                    rgb);
            frames[k] = rgb;
        }
        return frames;
    }

    private Npy.ByteTensor decoded(ObjectRef ref) {
        Npy.ByteTensor cached = recent.get(ref);
        if (cached != null) {
            return cached;
        }
        try {
            Npy.ByteTensor frames = FrameCodec.decode(segments.read(ref));
            recent.put(ref, frames);
            return frames;
        } catch (ObjectNotFoundException | IOException e) {
            throw new TransientFaultException(
                    "The motion history " + ref.getKey() + " cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
