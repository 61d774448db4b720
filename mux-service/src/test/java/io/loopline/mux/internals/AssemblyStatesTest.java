package io.loopline.mux.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.events.SegmentRendered;
import io.loopline.schemas.SampleEvents;
import io.loopline.state.AssemblyPhase;
import io.loopline.state.AssemblyState;
import org.junit.jupiter.api.Test;

class AssemblyStatesTest {

    private static SegmentRendered segment(int index) {
        return SegmentRendered.newBuilder(SampleEvents.segmentRendered())
                .setSegmentIndex(index)
                .setSegmentCount(3)
                .build();
    }

    @Test
    void collectsDistinctSegmentsThenAssemblesWhenAllAreIn() {
        AssemblyState s = AssemblyStates.stored(null, "r1", segment(1), true, 10);
        assertThat(s.getPhase()).isEqualTo(AssemblyPhase.COLLECTING);
        assertThat(s.getSegmentsStored()).isEqualTo(1);
        assertThat(s.getSegmentCount()).isEqualTo(3);
        s = AssemblyStates.stored(s, "r1", segment(1), false, 20); // a re-render of a stored segment
        assertThat(s.getSegmentsStored()).isEqualTo(1);
        assertThat(AssemblyStates.isCollecting(s)).isTrue();
        s = AssemblyStates.stored(s, "r1", segment(0), true, 30);
        s = AssemblyStates.stored(s, "r1", segment(2), true, 40);
        assertThat(s.getPhase()).isEqualTo(AssemblyPhase.ASSEMBLING);
        assertThat(AssemblyStates.isAssembling(s)).isTrue();
        assertThat(AssemblyStates.isCollecting(s))
                .as("a late duplicate changes nothing")
                .isFalse();
        assertThat(s.getUpdatedAt().toEpochMilli()).isEqualTo(40);
    }

    @Test
    void endedStatesAreFinalAndAFailureOfAnUnknownRequestIsRemembered() {
        assertThat(AssemblyStates.isCollecting(null)).isTrue();
        AssemblyState failed = AssemblyStates.ended(null, "r1", AssemblyPhase.FAILED, 10);
        assertThat(failed.getRequestId()).isEqualTo("r1");
        assertThat(AssemblyStates.isFinal(failed)).isTrue();
        assertThat(AssemblyStates.isCollecting(failed))
                .as("segments still on their way are ignored")
                .isFalse();

        AssemblyState assembling = AssemblyStates.stored(null, "r1", segment(0), true, 10);
        assembling = AssemblyStates.stored(assembling, "r1", segment(1), true, 10);
        assembling = AssemblyStates.stored(assembling, "r1", segment(2), true, 10);
        AssemblyState done = AssemblyStates.ended(assembling, "r1", AssemblyPhase.COMPLETED, 50);
        assertThat(AssemblyStates.isFinal(done)).isTrue();
        assertThat(AssemblyStates.isAssembling(done)).isFalse();
        assertThat(done.getSegmentsStored()).isEqualTo(3);
        assertThat(done.getUpdatedAt().toEpochMilli()).isEqualTo(50);
    }
}
