package io.loopline.cli.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.events.RequestState;
import io.loopline.events.RequestStatus;
import io.loopline.events.Stage;
import io.loopline.events.Warning;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private static RequestStatus status(Stage stage, float progress, List<Warning> warnings) {
        return RequestStatus.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(Instant.EPOCH)
                .setStage(stage)
                .setState(RequestState.RUNNING)
                .setProgress(progress)
                .setSegmentsDone(0)
                .setSegmentsTotal(0)
                .setWarnings(warnings)
                .setUpdatedAt(Instant.EPOCH)
                .build();
    }

    @Test
    void theEstimateCountsDownWhileASegmentIsSlowInsteadOfUp() {
        long[] now = {1_000_000_000L};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressView view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, () -> now[0]);
        view.show(status(Stage.RENDER, 0.1f, List.of()));
        now[0] = 11_000_000_000L;
        view.show(status(Stage.RENDER, 0.2f, List.of())); // 0.1 in 10 s: 80 s to go
        now[0] = 21_000_000_000L;
        view.show(status(Stage.RENDER, 0.2f, List.of())); // nothing new for 10 s: 70 s, not 160
        now[0] = 201_000_000_000L;
        view.show(status(Stage.RENDER, 0.2f, List.of())); // far past the estimate: held at 1 s
        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\r"))
                .filteredOn(line -> line.contains("ETA"))
                .extracting(line -> line.substring(line.indexOf("ETA")).trim())
                .containsExactly("ETA 80s", "ETA 70s", "ETA 1s");
    }

    @Test
    void ingestsWarningsArePrintedOnceEachOnALineOfTheirOwn() {
        Warning upscaled = new Warning("FACE_UPSCALED", "The face is small and was enlarged 3.1×.");
        for (boolean terminal : new boolean[] {false, true}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ProgressView view = new ProgressView(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal);
            view.show(status(Stage.INGEST, 0.02f, List.of()));
            view.show(status(Stage.FEATURE, 0.05f, List.of(upscaled)));
            view.show(status(Stage.RENDER, 0.5f, List.of(upscaled)));
            view.finish();
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out.lines().filter(l -> l.startsWith("WARNING ")))
                    .as(terminal ? "on a terminal" : "piped")
                    .containsExactly("WARNING FACE_UPSCALED: The face is small and was enlarged 3.1×.");
        }
    }
}
