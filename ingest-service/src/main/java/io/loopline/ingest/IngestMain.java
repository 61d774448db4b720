package io.loopline.ingest;

import io.loopline.core.service.ServiceRunner;
import java.util.Map;

/** Runs the ingest service as a process; configuration from {@code LOOPLINE_*} variables or a file given as the only argument. */
public final class IngestMain {

    private IngestMain() {}

    public static void main(String[] args) {
        ServiceRunner.main(args, file -> IngestConfig.fromEnvironment(file, Map.of()), IngestService::new);
    }
}
