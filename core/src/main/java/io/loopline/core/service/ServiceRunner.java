package io.loopline.core.service;

import io.loopline.core.config.LooplineConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service as a process's main job: starts it, stops it gracefully on SIGTERM/SIGINT (the
 * JVM's shutdown hook), and exits non-zero if it cannot start.
 */
public final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {}

    /**
     * A service process's {@code main}: reads the configuration (from {@code LOOPLINE_*} variables,
     * or the properties file given as the only argument), runs the service until SIGTERM and exits;
     * an invalid configuration exits with status 2 and {@code ERROR CONFIG_INVALID: <why>}.
     */
    public static <C extends LooplineConfig> void main(
            String[] args, Function<Optional<Path>, C> configuration, Function<C, Service> service) {
        C config = configurationOrExit(args, configuration);
        System.exit(run(service.apply(config), config.managementPort()));
    }

    /**
     * A process's configuration: from {@code LOOPLINE_*} variables, or the properties file given as the
     * only argument; an invalid one ends the process with status 2 and {@code ERROR CONFIG_INVALID: <why>}.
     */
    public static <C> C configurationOrExit(String[] args, Function<Optional<Path>, C> configuration) {
        try {
            return configuration.apply(args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty());
        } catch (ConfigException e) {
            System.err.println("ERROR CONFIG_INVALID: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }

    /**
     * Serves the health and metrics endpoints ({@link ManagementServer}) on {@code managementPort}, starts
     * the service, and blocks until the process is asked to stop; returns the exit code.
     */
    public static int run(Service service, int managementPort) {
        ManagementServer management;
        try {
            management = ManagementServer.start(service, managementPort);
        } catch (IOException e) {
            log.error("{} could not open its management port {}: {}", service.name(), managementPort, e.getMessage());
            return 1;
        }
        log.info("{}: health and metrics on port {}", service.name(), management.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    log.info("Stopping {} (signal received)", service.name());
                    try {
                        service.stop();
                    } finally {
                        management.close();
                        stopped.countDown();
                    }
                },
                service.name() + "-shutdown");
        try {
            service.start();
        } catch (RuntimeException e) {
            log.error("{} could not start: {}", service.name(), e.getMessage(), e);
            service.stop();
            management.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("{} started", service.name());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
