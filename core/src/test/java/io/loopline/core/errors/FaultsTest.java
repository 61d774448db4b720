package io.loopline.core.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.config.RetryPolicy;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.events.Stage;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final RetryPolicy THREE_ATTEMPTS = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void aTransientFaultIsTriedAgainUntilThePolicyEndsThenFailsAsRetryable() {
        Exception unreachable = new UncheckedIOException(new ConnectException("storage refused the connection"));
        assertThat(Faults.verdict(unreachable, Stage.RENDER, "r-1", 1, THREE_ATTEMPTS))
                .isInstanceOf(Faults.Retry.class);
        assertThat(Faults.verdict(unreachable, Stage.RENDER, "r-1", 2, THREE_ATTEMPTS))
                .isInstanceOf(Faults.Retry.class);
        Faults.Verdict last = Faults.verdict(unreachable, Stage.RENDER, "r-1", 3, THREE_ATTEMPTS);
        assertThat(last).isInstanceOfSatisfying(Faults.Fail.class, fail -> {
            assertThat(fail.code()).isEqualTo(ErrorCode.RETRIES_EXHAUSTED);
            assertThat(fail.retryable()).isTrue();
            assertThat(fail.message()).contains("render stage", "after 3 attempts");
        });
    }

    @Test
    void aStoredIntermediateThatIsGoneIsInputNotFoundInEveryStage() {
        for (Stage stage : new Stage[] {Stage.FEATURE, Stage.RENDER, Stage.MUX}) {
            Faults.Verdict verdict = Faults.verdict(
                    new ObjectNotFoundException("work", "acme/r-3/feature/features.npy"),
                    stage,
                    "r-3",
                    1,
                    THREE_ATTEMPTS);
            assertThat(verdict).isInstanceOfSatisfying(Faults.Fail.class, fail -> {
                assertThat(fail.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND);
                assertThat(fail.retryable()).isFalse();
                assertThat(fail.message())
                        .startsWith("A stored intermediate of this request is gone (")
                        .contains("acme/r-3/feature/features.npy")
                        .endsWith("); submit the request again.");
            });
        }
    }

    @Test
    void anyOtherFaultIsAnInternalErrorAtOnce() {
        Faults.Verdict verdict = Faults.verdict(new IllegalStateException("bug"), Stage.MUX, "r-2", 1, THREE_ATTEMPTS);
        assertThat(verdict).isInstanceOfSatisfying(Faults.Fail.class, fail -> {
            assertThat(fail.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(fail.retryable()).isFalse();
            assertThat(fail.message()).contains("mux stage", "r-2");
            assertThat(fail.details()).containsEntry("exception", IllegalStateException.class.getName());
        });
    }
}
