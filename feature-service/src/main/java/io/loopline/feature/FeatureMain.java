package io.loopline.feature;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;

import io.loopline.core.service.ServiceRunner;

/** Runs the feature service as a process; configuration from {@code LOOPLINE_*} variables or a file given as the only argument. */
public final class FeatureMain {

    private FeatureMain() {
    }

    public static void main(String[] args) {
        FeatureConfig config;
        try {
            config = FeatureConfig.fromEnvironment(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty(), Map.of());
        } catch (ConfigException e) {
            System.err.println("ERROR CONFIG_INVALID: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(ServiceRunner.run(new FeatureService(config)));
    }
}
