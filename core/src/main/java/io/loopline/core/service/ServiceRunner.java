package io.loopline.core.service;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service as a process's main job: starts it, stops it gracefully on SIGTERM/SIGINT (the
 * JVM's shutdown hook), and exits non-zero if it cannot start.
 */
public final class ServiceRunner {

    private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

    private ServiceRunner() {
    }

    /** Blocks until the process is asked to stop; returns the exit code. */
    public static int run(Service service) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("Stopping {} (signal received)", service.name());
            try {
                service.stop();
            } finally {
                stopped.countDown();
            }
        }, service.name() + "-shutdown");
        try {
            service.start();
        } catch (RuntimeException e) {
            log.error("{} could not start: {}", service.name(), e.getMessage(), e);
            service.stop();
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
