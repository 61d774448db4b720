package io.loopline.cli.internals;

import io.loopline.events.RequestStatus;
import io.loopline.events.Stage;
import io.loopline.events.Warning;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Shows a request's progress: on a terminal, one bar redrawn in place with the stage and an ETA;
 * otherwise (a pipe, a CI log) a plain line whenever the stage changes or another tenth is done.
 */
public final class ProgressView {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long started;
    private float etaProgress = -1;
    private long etaAt;
    private double etaSeconds;
    private long firstProgressAt;
    private float firstProgress;
    private String lastLine = "";
    private Stage lastStage;
    private int lastTenth = -1;
    private final Set<String> shownWarnings = new HashSet<>();

    public ProgressView(PrintStream out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} */
    ProgressView(PrintStream out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.started = clock.getAsLong();
    }

    public void show(RequestStatus status) {
        showWarnings(status);
        float p = Math.max(0f, Math.min(1f, status.getProgress()));
        long now = clock.getAsLong();
        if (firstProgressAt == 0 && p > 0) {
            firstProgressAt = now;
            firstProgress = p;
        }
        String stage = describe(status);
        if (terminal) {
            int filled = Math.round(p * WIDTH);
            String line = String.format(
                    Locale.ROOT,
                    "\r[%s%s] %3d%%  %-28s %s",
                    "#".repeat(filled),
                    ".".repeat(WIDTH - filled),
                    Math.round(p * 100),
                    stage,
                    eta(p, now));
            if (!line.equals(lastLine)) {
                out.print(line);
                out.flush();
                lastLine = line;
            }
        } else {
            int tenth = (int) (p * 10);
            if (status.getStage() != lastStage || tenth != lastTenth) {
                out.printf(
                        Locale.ROOT, "progress %3d%% %s (%.1f s)%n", Math.round(p * 100), stage, (now - started) / 1e9);
                lastStage = status.getStage();
                lastTenth = tenth;
            }
        }
    }

    /** Each of the request's warnings once, as {@code WARNING CODE: message} on a line of its own. */
    private void showWarnings(RequestStatus status) {
        for (Warning w : status.getWarnings()) {
            String line = "WARNING " + w.getCode() + ": " + w.getMessage();
            if (shownWarnings.add(line)) {
                if (terminal && !lastLine.isEmpty()) {
                    out.println(); // off the bar's line; the bar is drawn again below it
                    lastLine = "";
                }
                out.println(line);
            }
        }
    }

    /** Ends the bar's line so that what follows starts on a fresh one. */
    public void finish() {
        if (terminal && !lastLine.isEmpty()) {
            out.println();
        }
    }

    static String describe(RequestStatus s) {
        return switch (s.getStage()) {
            case RENDER ->
                String.format(Locale.ROOT, "rendering %d/%d segments", s.getSegmentsDone(), s.getSegmentsTotal());
            case MUX -> "encoding the video";
            case FEATURE -> "audio features and motion";
            case INGEST, SUBMIT -> "checking the image and audio";
            default -> s.getStage().name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Estimated when progress moves (from the rate since the first progress) and counted down in between, never
     * below a second: a slow segment holds the estimate instead of making it count up.
     */
    private String eta(float p, long now) {
        if (firstProgressAt == 0 || p <= firstProgress + 0.05f || p >= 1f) {
            return "";
        }
        if (p != etaProgress) {
            double rate = (p - firstProgress) / ((now - firstProgressAt) / 1e9);
            etaSeconds = (1 - p) / rate;
            etaProgress = p;
            etaAt = now;
        }
        return String.format(Locale.ROOT, "ETA %ds", Math.max(1, Math.round(etaSeconds - (now - etaAt) / 1e9)));
    }
}
