package io.loopline.core.metrics;

import io.loopline.events.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;

/**
 * The meters every stage records, in Micrometer's global registry: a process (or a benchmark, or
 * an exporter) adds the registries it wants — a service process adds Prometheus's, served on
 * {@code /metrics} — and with none added, recording costs next to nothing. Names are Micrometer's
 * dotted form; Prometheus shows them as e.g. {@code loopline_records_in_total}.
 */
public final class StageMetrics {

    /** Time a stage spent computing one unit of work (a request, a segment, a video), by stage and outcome. */
    public static final String PROCESSING = "loopline.stage.processing";
    /** Events a stage took from its input topic. */
    public static final String RECORDS_IN = "loopline.records.in";
    /** Events a stage published, by topic. */
    public static final String RECORDS_OUT = "loopline.records.out";
    /** Requests a stage failed ({@code requests.failed}), by error code. */
    public static final String RECORDS_FAILED = "loopline.records.failed";
    /** Undecodable input records moved to a dead-letter topic. */
    public static final String DEAD_LETTERED = "loopline.records.dead.lettered";

    private StageMetrics() {}

    /** @param outcome {@code ok}, {@code rejected}, {@code retried} or {@code error} */
    public static Timer processing(Stage stage, String outcome) {
        return Timer.builder(PROCESSING)
                .description("Compute time of one unit of a stage's work")
                .tag("stage", name(stage))
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(Metrics.globalRegistry);
    }

    public static Counter recordsIn(Stage stage) {
        return Counter.builder(RECORDS_IN)
                .description("Events taken from the stage's input topic")
                .tag("stage", name(stage))
                .register(Metrics.globalRegistry);
    }

    /** @param topic the logical topic name (without the deployment's prefix) */
    public static Counter recordsOut(Stage stage, String topic) {
        return Counter.builder(RECORDS_OUT)
                .description("Events published")
                .tag("stage", name(stage))
                .tag("topic", topic)
                .register(Metrics.globalRegistry);
    }

    public static Counter recordsFailed(Stage stage, String errorCode) {
        return Counter.builder(RECORDS_FAILED)
                .description("Requests failed by the stage (requests.failed)")
                .tag("stage", name(stage))
                .tag("code", errorCode)
                .register(Metrics.globalRegistry);
    }

    /** @param group the consumer group (or Streams application) that could not decode the record */
    public static Counter deadLettered(String group, String dlqTopic) {
        return Counter.builder(DEAD_LETTERED)
                .description("Undecodable records moved to a dead-letter topic")
                .tag("group", group)
                .tag("topic", dlqTopic)
                .register(Metrics.globalRegistry);
    }

    private static String name(Stage stage) {
        return stage.name().toLowerCase(Locale.ROOT);
    }
}
