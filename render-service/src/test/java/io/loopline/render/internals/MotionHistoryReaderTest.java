package io.loopline.render.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.loopline.core.errors.TransientFaultException;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.events.ObjectRef;
import io.loopline.model.pack.PackManifest.Clip;
import io.loopline.packstage.SegmentPlan;
import io.loopline.tensor.FrameCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stored segments whose every frame is a flat grey that says which video frame it is: the reader must
 * hand over exactly the frames the strides name, from whichever segment holds them.
 */
class MotionHistoryReaderTest {

    private static final int H = 4;
    private static final int W = 6;
    private static final SegmentPlan PLAN = SegmentPlan.of(60, new Clip(8, 2)); // starts 0, 6, 12, …
    private static final List<Integer> STRIDES = List.of(1, 4, 16, 64);

    /** Video frame i as a grey in [-1, 1], two 8-bit levels from its neighbours. */
    private static float grey(int frame) {
        return (10 + 2 * frame) / 127.5f - 1f;
    }

    private final Map<ObjectRef, byte[]> stored = new HashMap<>();
    private final List<ObjectRef> rendered = new ArrayList<>();

    MotionHistoryReaderTest() {
        for (SegmentPlan.Segment s : PLAN.segments()) {
            float[] frames = new float[3 * s.frameCount() * H * W];
            for (int c = 0; c < 3; c++) {
                for (int f = 0; f < s.frameCount(); f++) {
                    Arrays.fill(
                            frames,
                            (c * s.frameCount() + f) * H * W,
                            (c * s.frameCount() + f + 1) * H * W,
                            grey(s.frameStart() + f));
                }
            }
            ObjectRef ref = ObjectRef.newBuilder()
                    .setBucket("work")
                    .setKey("acme/r/render/segment-" + s.index())
                    .setSha256("0".repeat(64))
                    .setSize(1)
                    .build();
            stored.put(ref, FrameCodec.encode(frames, s.frameCount(), H, W, 1));
            rendered.add(ref);
        }
    }

    private byte[] read(ObjectRef ref) throws ObjectNotFoundException {
        byte[] bytes = stored.get(ref);
        if (bytes == null) {
            throw new ObjectNotFoundException(ref.getBucket(), ref.getKey());
        }
        return bytes;
    }

    @Test
    void handsOverTheFramesTheStridesName() {
        MotionHistoryReader reader = new MotionHistoryReader(this::read);
        for (int k = 1; k < PLAN.segments().size(); k++) {
            float[][] history = reader.read(PLAN, k, STRIDES, rendered.subList(0, k), H, W);
            int start = PLAN.segments().get(k).frameStart();
            for (int j = 0; j < STRIDES.size(); j++) {
                int frame = start - STRIDES.get(j);
                if (frame < 0) {
                    assertThat(history[j]).as("segment %d, frame %d", k, frame).isNull();
                    continue;
                }
                for (float v : history[j]) {
                    assertThat(v).as("segment %d, frame %d", k, frame).isCloseTo(grey(frame), offset(0.6f / 127.5f));
                }
            }
        }
    }

    @Test
    void theFirstSegmentHasNoPast() {
        float[][] history = new MotionHistoryReader(this::read).read(PLAN, 0, STRIDES, List.of(), H, W);
        assertThat(Arrays.asList(history)).hasSize(STRIDES.size()).containsOnlyNulls();
    }

    @Test
    void anUnreadableHistoryIsTransientAndAMissingListIsAnError() {
        MotionHistoryReader reader = new MotionHistoryReader(this::read);
        stored.remove(rendered.get(4));
        assertThatThrownBy(() -> reader.read(PLAN, 5, STRIDES, rendered.subList(0, 5), H, W))
                .isInstanceOf(TransientFaultException.class)
                .hasMessageContaining("segment-4");
        assertThatThrownBy(() -> reader.read(PLAN, 5, STRIDES, rendered.subList(0, 3), H, W))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lists only 3 rendered segments");
    }
}
