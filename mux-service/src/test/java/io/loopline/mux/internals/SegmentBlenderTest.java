package io.loopline.mux.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SegmentBlenderTest {

    /** One-byte "frames": segment k's frame j holds value v. */
    private static byte[] segment(int count, int value) {
        byte[] b = new byte[count];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private record Out(int index, int value, boolean seam) {}

    /** Segments as {start, count, value} (held back until the next) or {start, count, value, finalBefore}. */
    private static List<Out> run(int total, int[][] segments) throws Exception {
        return run(total, segments, new ArrayList<>());
    }

    /** Also notes in {@code outAfterEach} how many frames were out after each segment was added. */
    private static List<Out> run(int total, int[][] segments, List<Integer> outAfterEach) throws Exception {
        List<Out> out = new ArrayList<>();
        SegmentBlender blender =
                new SegmentBlender(total, 1, (i, rgb, offset, seam) -> out.add(new Out(i, rgb[offset] & 0xFF, seam)));
        for (int[] s : segments) {
            blender.add(s[0], s[1], segment(s[1], s[2]), s.length > 3 ? s[3] : s[0]);
            outAfterEach.add(out.size());
        }
        blender.finish();
        return out;
    }

    @Test
    void overlapsCrossFadeLinearlyAndPaddingIsDropped() throws Exception {
        // 16-frame clips, overlap 4 (stride 12), 30 frames of audio: segments at 0, 12, 24 (the last padded past 30).
        List<Out> out = run(30, new int[][] {{0, 16, 0}, {12, 16, 100}, {24, 16, 200}});
        assertThat(out)
                .extracting(Out::index)
                .containsExactlyElementsOf(IntStream.range(0, 30).boxed().toList());
        assertThat(out.subList(0, 12)).allMatch(o -> o.value() == 0);
        // Frames 12..15: weights 1/5, 2/5, 3/5, 4/5 of the new segment.
        assertThat(out.subList(12, 16)).extracting(Out::value).containsExactly(20, 40, 60, 80);
        assertThat(out.subList(16, 24)).allMatch(o -> o.value() == 100);
        assertThat(out.subList(24, 28)).extracting(Out::value).containsExactly(120, 140, 160, 180);
        assertThat(out.subList(28, 30)).allMatch(o -> o.value() == 200);
        assertThat(out).filteredOn(Out::seam).extracting(Out::index).containsExactly(12, 24);
    }

    @Test
    void segmentsWithoutOverlapPassThrough() throws Exception {
        List<Out> out = run(20, new int[][] {{0, 10, 5}, {10, 10, 9}});
        assertThat(out)
                .extracting(Out::value)
                .containsExactly(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9);
        assertThat(out).filteredOn(Out::seam).extracting(Out::index).containsExactly(10);
    }

    @Test
    void framesBeforeTheNextSegmentsStartGoOutWithoutWaitingForIt() throws Exception {
        int[][] heldBack = {{0, 16, 0}, {12, 16, 100}, {24, 16, 200}};
        int[][] saysWhereTheNextBegins = {{0, 16, 0, 12}, {12, 16, 100, 24}, {24, 16, 200, 36}};
        List<Integer> heldOut = new ArrayList<>();
        List<Integer> earlyOut = new ArrayList<>();
        List<Out> held = run(30, heldBack, heldOut);
        List<Out> early = run(30, saysWhereTheNextBegins, earlyOut);

        assertThat(early).isEqualTo(held);
        assertThat(heldOut).containsExactly(0, 16, 28);
        // Each segment's frames up to the next one's start, before the next arrives; the rest blended with it.
        assertThat(earlyOut).containsExactly(12, 24, 30);
    }

    @Test
    void aSegmentStartingInFramesAlreadyFinalIsRefused() {
        assertThatThrownBy(() -> run(40, new int[][] {{0, 16, 0, 14}, {12, 16, 0}}))
                .hasMessageContaining("overlaps frame 13, which the segment before it declared final");
    }

    @Test
    void gapsAndShortSetsAreRefused() {
        assertThatThrownBy(() -> run(40, new int[][] {{0, 16, 0}, {20, 16, 0}}))
                .hasMessageContaining("does not follow");
        assertThatThrownBy(() -> run(40, new int[][] {{0, 16, 0}, {12, 16, 0}}))
                .hasMessageContaining("end at frame 28 of 40");
        assertThatThrownBy(() -> run(40, new int[][] {{4, 16, 0}})).hasMessageContaining("starts at frame 4");
    }
}
