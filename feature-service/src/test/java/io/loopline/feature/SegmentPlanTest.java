package io.loopline.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.model.pack.PackManifest.Clip;
import org.junit.jupiter.api.Test;

class SegmentPlanTest {

    @Test
    void segmentsCoverEveryFrameWithTheirOverlap() {
        SegmentPlan plan = SegmentPlan.of(71, new Clip(16, 4));
        assertThat(plan.segments()).extracting(SegmentPlan.Segment::frameStart).containsExactly(0, 12, 24, 36, 48, 60);
        SegmentPlan.Segment last = plan.segments().get(plan.segments().size() - 1);
        assertThat(last.frameStart() + last.frameCount())
                .as("the last segment is padded past the end")
                .isGreaterThanOrEqualTo(71);
        assertThat(plan.overlapOf(0)).isZero();
        assertThat(plan.overlapOf(3)).isEqualTo(4);
    }

    @Test
    void exactFitsAndShortAudioNeedNoExtraSegment() {
        assertThat(SegmentPlan.of(16, new Clip(16, 4)).segments()).hasSize(1);
        assertThat(SegmentPlan.of(5, new Clip(16, 4)).segments()).hasSize(1);
        assertThat(SegmentPlan.of(28, new Clip(16, 4)).segments()).hasSize(2);
        assertThat(SegmentPlan.of(29, new Clip(16, 4)).segments()).hasSize(3);
        assertThat(SegmentPlan.of(1500, new Clip(16, 0)).segments()).hasSize(94);
    }

    @Test
    void impossiblePlansAreRefused() {
        assertThatThrownBy(() -> SegmentPlan.of(10, new Clip(4, 4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentPlan.of(0, new Clip(16, 4))).isInstanceOf(IllegalArgumentException.class);
    }
}
