package io.loopline.core.service;

/**
 * A long-running part of the pipeline with an explicit life cycle, so that the same service runs
 * in its own container (via {@link ServiceRunner}), inside the CLI's embedded mode, and in tests.
 */
public interface Service extends AutoCloseable {

    /** Name used in logs and thread names. */
    String name();

    /** Starts working in background threads; returns once started. Fails fast on bad configuration. */
    void start();

    /** Stops gracefully: work in progress is finished or abandoned uncommitted; returns when stopped. */
    void stop();

    /** Whether the service is started and its workers are alive. */
    boolean isRunning();

    @Override
    default void close() {
        stop();
    }
}
