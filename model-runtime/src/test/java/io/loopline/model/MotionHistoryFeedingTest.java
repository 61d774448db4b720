package io.loopline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.reference.Motion;
import io.loopline.model.reference.TestPacks;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.Guidance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator feeds a segment's history frames to the denoiser's {@code motion_frames} in the order the
 * pack's strides name them, as latents [B, C, K, h, w], zeros for frames before the video: the probe
 * pack's output shows each of them to the value.
 */
class MotionHistoryFeedingTest {

    private static final int SIZE = 8;
    private static final int FRAMES = 3;

    @TempDir
    static Path dir;

    private static OnnxSessions sessions;
    private static ModelPack probe;

    @BeforeAll
    static void load() {
        sessions = new OnnxSessions(RuntimeOptions.cpu(1));
        try {
            probe = PackLoader.load(TestPacks.installHistoryProbe(dir).resolve(TestPacks.HISTORY_PROBE), sessions);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void close() {
        sessions.close();
    }

    private static float[] plane(float value) {
        float[] image = new float[3 * SIZE * SIZE];
        Arrays.fill(image, value);
        return image;
    }

    private static PortraitGenerator.Conditioning conditioning() {
        return new PortraitGenerator.Conditioning(
                FRAMES, 7, new float[FRAMES * 7], Motion.COUNT, new float[FRAMES * Motion.COUNT]);
    }

    private static float[] render(PortraitGenerator generator, float[][] history) {
        return generator
                .renderBatch(
                        List.of(new PortraitGenerator.Segment(
                                plane(0.4f), new float[468 * 3], conditioning(), 0, 1, history)),
                        SIZE,
                        SIZE,
                        FRAMES,
                        1,
                        new Guidance(1f, 1f))
                .get(0);
    }

    @Test
    void eachHistoryFrameReachesTheDenoiserInStrideOrder() {
        PortraitGenerator generator = new PortraitGenerator(probe, sessions.environment());
        float[] frames = render(generator, new float[][] {plane(0.8f), plane(-0.6f)});
        float expected = TestPacks.probeFrame(0.8f, -0.6f, 0.4f);
        assertThat(frames).hasSize(3 * FRAMES * SIZE * SIZE);
        for (float v : frames) {
            assertThat(v).isCloseTo(expected, offset(1e-6f));
        }
        // Swapped, the frames change: the order is the strides' order, not any order.
        float[] swapped = render(generator, new float[][] {plane(-0.6f), plane(0.8f)});
        assertThat(swapped[0]).isCloseTo(TestPacks.probeFrame(-0.6f, 0.8f, 0.4f), offset(1e-6f));
    }

    @Test
    void framesBeforeTheVideoAreZeros() {
        PortraitGenerator generator = new PortraitGenerator(probe, sessions.environment());
        float[] frames = render(generator, new float[][] {plane(0.8f), null});
        assertThat(frames[0]).isCloseTo(TestPacks.probeFrame(0.8f, 0f, 0.4f), offset(1e-6f));
    }

    @Test
    void aSegmentWithoutItsHistoryIsRefused() {
        PortraitGenerator generator = new PortraitGenerator(probe, sessions.environment());
        assertThatThrownBy(() -> render(generator, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conditions on 2 history frames");
    }
}
