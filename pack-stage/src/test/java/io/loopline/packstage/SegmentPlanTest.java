package io.loopline.packstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.model.pack.PackManifest.Clip;
import java.util.List;
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
    void historyFramesComeFromTheLatestEarlierSegmentThatHoldsThem() {
        SegmentPlan plan = SegmentPlan.of(200, new Clip(16, 4)); // starts 0, 12, 24, 36, 48, …
        assertThat(plan.history(0, List.of(1, 4))).noneMatch(SegmentPlan.HistoryFrame::exists);
        assertThat(plan.history(4, List.of(1, 4, 16, 64)))
                .containsExactly(
                        new SegmentPlan.HistoryFrame(47, 3, 11), // in the overlap of 3 and 4: 3 holds it whole
                        new SegmentPlan.HistoryFrame(44, 3, 8),
                        new SegmentPlan.HistoryFrame(32, 2, 8), // also in 1's last frames; 2 came later
                        new SegmentPlan.HistoryFrame(-16, -1, -1));
        for (int k = 1; k < plan.segments().size(); k++) {
            for (SegmentPlan.HistoryFrame h : plan.history(k, List.of(1, 3, 12, 100))) {
                if (h.exists()) {
                    SegmentPlan.Segment holder = plan.segments().get(h.segment());
                    assertThat(h.segment()).isLessThan(k);
                    assertThat(holder.frameStart() + h.offset()).isEqualTo(h.frame());
                    assertThat(h.offset()).isBetween(0, holder.frameCount() - 1);
                }
            }
        }
    }

    @Test
    void impossiblePlansAreRefused() {
        assertThatThrownBy(() -> SegmentPlan.of(10, new Clip(4, 4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentPlan.of(0, new Clip(16, 4))).isInstanceOf(IllegalArgumentException.class);
    }
}
