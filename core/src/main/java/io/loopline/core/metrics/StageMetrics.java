package io.loopline.core.metrics;

import java.util.Locale;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.loopline.events.Stage;

/**
 * The meters every stage records, in Micrometer's global registry: a process (or a benchmark, or
 * an exporter) adds the registries it wants; with none added, recording costs next to nothing.
 */
public final class StageMetrics {

    /** Time a stage spent computing one unit of work (a request, a segment, a video), by stage and outcome. */
    public static final String PROCESSING = "loopline.stage.processing";

    private StageMetrics() {
    }

    /** @param outcome {@code ok}, {@code rejected}, {@code retried} or {@code error} */
    public static Timer processing(Stage stage, String outcome) {
        return Timer.builder(PROCESSING)
            .description("Compute time of one unit of a stage's work")
            .tag("stage", stage.name().toLowerCase(Locale.ROOT))
            .tag("outcome", outcome)
            .register(Metrics.globalRegistry);
    }
}
