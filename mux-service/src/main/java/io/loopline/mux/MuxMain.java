package io.loopline.mux;

import io.loopline.core.service.ServiceRunner;
import java.util.Map;

/** Runs the mux service as a process; configuration from {@code LOOPLINE_*} variables or a file given as the only argument. */
public final class MuxMain {

    private MuxMain() {}

    public static void main(String[] args) {
        ServiceRunner.main(args, file -> MuxConfig.fromEnvironment(file, Map.of()), MuxService::new);
    }
}
