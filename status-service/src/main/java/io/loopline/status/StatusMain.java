package io.loopline.status;

import io.loopline.core.service.ServiceRunner;
import java.util.Map;

/** Runs the status view as a process; configuration from {@code LOOPLINE_*} variables or a file given as the only argument. */
public final class StatusMain {

    private StatusMain() {}

    public static void main(String[] args) {
        ServiceRunner.main(args, file -> StatusConfig.fromEnvironment(file, Map.of()), StatusService::new);
    }
}
