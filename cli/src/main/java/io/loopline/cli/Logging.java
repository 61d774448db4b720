package io.loopline.cli;

import java.util.Arrays;

/**
 * The CLI talks to people: services' and libraries' logs stay quiet (warnings and errors only)
 * unless {@code --verbose} is given. Set before any logger exists, so it has to look at the raw arguments.
 */
final class Logging {

    private Logging() {}

    static void configure(String[] args) {
        boolean verbose =
                Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
        String level = verbose ? "info" : "warn";
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        if (!verbose) {
            // Client libraries warn about transient states (leaders moving, topics being created) that resolve
            // themselves.
            for (String noisy :
                    new String[] {"org.apache.kafka", "kafka", "org.gaul", "org.eclipse.jetty", "io.minio"}) {
                setDefault("org.slf4j.simpleLogger.log." + noisy, "error");
            }
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
