package io.loopline.render;

import io.loopline.core.service.ServiceRunner;
import java.util.Map;

/** Runs the render service as a process; configuration from {@code LOOPLINE_*} variables or a file given as the only argument. */
public final class RenderMain {

    private RenderMain() {}

    public static void main(String[] args) {
        ServiceRunner.main(args, file -> RenderConfig.fromEnvironment(file, Map.of()), RenderService::new);
    }
}
