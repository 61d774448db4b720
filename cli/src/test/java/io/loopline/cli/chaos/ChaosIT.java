package io.loopline.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection suite, shortened ({@link ChaosPlan#quick()}): services as processes, SIGKILLs, a broker
 * restart, a freeze, poison records and forbidden requests; every request completes exactly once with its
 * reference's frames. {@code tools/chaos.sh} runs the full plan; the figures are printed, not asserted (they are a
 * benchmark's, docs/reliability.md).
 */
class ChaosIT {

    @Test
    void everyRequestCompletesOnceWithTheSameFramesWhateverIsKilled() throws Exception {
        ChaosPlan plan = ChaosPlan.fromSystemProperties();
        ChaosRun.Result r = new ChaosRun(plan, Path.of("target", "chaos")).run();

        assertThat(r.requests()).hasSizeGreaterThanOrEqualTo(plan.requests());
        assertThat(r.failures())
                .as("failures (logs in %s)", r.workDir())
                .allSatisfy((id, f) -> assertThat(f).as(id).isEmpty());
        assertThat(r.completions())
                .as("completions per request")
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(r.framesAsReference())
                .as("frames as the reference's")
                .hasSize(r.requests().size())
                .allSatisfy((id, same) -> assertThat(same).as(id).isTrue());
        assertThat(r.kills()).hasSize(plan.kills());
        assertThat(r.brokerRestarts()).isEqualTo(1);
        assertThat(r.freezes()).isEqualTo(plan.freezeSeconds() > 0 ? 1 : 0);
        assertThat(r.poison()).hasSize(plan.poisonRecords());
        assertThat(r.poisonNotDeadLettered())
                .as("poison records some reader did not dead-letter")
                .isEmpty();
        assertThat(r.attacks()).hasSize(8 * plan.attackRounds());
        assertThat(r.attacksNotRefused()).as("attacks not refused").isEmpty();
        assertThat(r.outOfMemoryErrors()).isZero();
    }
}
