package io.loopline.feature;

import io.loopline.core.service.ServiceRunner;
import java.util.Map;

/** Runs the feature service as a process; configuration from {@code LOOPLINE_*} variables or a file given as the only argument. */
public final class FeatureMain {

    private FeatureMain() {}

    public static void main(String[] args) {
        ServiceRunner.main(args, file -> FeatureConfig.fromEnvironment(file, Map.of()), FeatureService::new);
    }
}
