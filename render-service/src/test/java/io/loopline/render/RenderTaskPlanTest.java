package io.loopline.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.events.RenderTask;
import io.loopline.model.pack.PackManifest;
import io.loopline.model.reference.ReferencePack;
import io.loopline.packstage.SegmentPlan;
import io.loopline.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

/** Render works only on tasks that are segments of the pack's plan; anything else fails the request at once. */
class RenderTaskPlanTest {

    private static final PackManifest PACK = ReferencePack.manifest();
    private static final int TOTAL = 100;
    private static final SegmentPlan PLAN = SegmentPlan.of(TOTAL, PACK.clip());

    private static RenderTask segment(int index) {
        SegmentPlan.Segment s = PLAN.segments().get(index);
        return RenderTask.newBuilder(SampleEvents.renderTask())
                .setSegmentIndex(index)
                .setSegmentCount(PLAN.segments().size())
                .setFrameStart(s.frameStart())
                .setFrameCount(s.frameCount())
                .setTotalFrames(TOTAL)
                .build();
    }

    @Test
    void everySegmentOfThePlanIsAccepted() throws RequestRejectedException {
        for (int k = 0; k < PLAN.segments().size(); k++) {
            assertThat(RenderProcessor.planOf(segment(k), PACK)).isEqualTo(PLAN);
        }
    }

    @Test
    void aTaskOffThePlanIsRefusedWithItsFigures() {
        RenderTask good = segment(1);
        RenderTask[] bad = {
            RenderTask.newBuilder(good).setSegmentIndex(-5).build(),
            RenderTask.newBuilder(good).setSegmentIndex(PLAN.segments().size()).build(),
            RenderTask.newBuilder(good)
                    .setSegmentCount(PLAN.segments().size() + 1)
                    .build(),
            RenderTask.newBuilder(good).setFrameStart(good.getFrameStart() + 1).build(),
            RenderTask.newBuilder(good).setFrameCount(good.getFrameCount() * 2).build(),
            RenderTask.newBuilder(good).setTotalFrames(0).build(),
            RenderTask.newBuilder(good).setTotalFrames(-7).build(),
            RenderTask.newBuilder(good).setTotalFrames(Integer.MAX_VALUE).build()
        };
        for (RenderTask task : bad) {
            assertThatThrownBy(() -> RenderProcessor.planOf(task, PACK))
                    .isInstanceOfSatisfying(
                            RequestRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                    .hasMessageContaining("is not a segment of model pack reference's plan");
        }
        assertThatThrownBy(() -> RenderProcessor.planOf(bad[0], PACK))
                .hasMessageStartingWith("The render task for segment -5 of ");
    }
}
