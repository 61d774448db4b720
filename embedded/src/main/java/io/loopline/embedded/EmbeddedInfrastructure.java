package io.loopline.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A Kafka broker and an S3-compatible server, in-process, started together and closed together:
 * what the CLI's embedded mode and the integration tests run against.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private EmbeddedInfrastructure(EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * Runs both servers until the process is stopped, for services started elsewhere on this machine
     * (tools/image-smoke.sh runs the service images against them): writes the client settings, in the
     * properties format every Loopline service and command reads, to the file given as the only argument.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedInfrastructure SETTINGS_FILE");
            System.exit(2);
        }
        EmbeddedInfrastructure infra = start(Map.of(), EmbeddedS3.inTemporaryDirectory());
        Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "embedded-infrastructure-stop"));
        Path file = Path.of(args[0]);
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(
                partial,
                String.join(
                        "\n",
                        "kafka.bootstrap.servers=" + infra.kafka().bootstrapServers(),
                        "s3.endpoint=" + infra.s3().endpoint(),
                        "s3.region=" + infra.s3().region(),
                        "s3.access.key=" + infra.s3().accessKey(),
                        "s3.secret.key=" + infra.s3().secretKey(),
                        ""));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }

    /** Starts both servers (in parallel: together they take about as long as the broker alone). */
    public static EmbeddedInfrastructure start(Map<String, String> brokerOverrides, EmbeddedS3 s3) {
        EmbeddedKafka kafka = new EmbeddedKafka(brokerOverrides);
        Thread s3Starter = new Thread(s3::start, "embedded-s3-start");
        RuntimeException[] s3Failure = new RuntimeException[1];
        s3Starter.setUncaughtExceptionHandler(
                (t, e) -> s3Failure[0] = e instanceof RuntimeException r ? r : new RuntimeException(e));
        s3Starter.start();
        try {
            kafka.start();
            s3Starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafka.close();
            s3.close();
            throw new EmbeddedInfrastructureException("Interrupted while starting embedded infrastructure", e);
        } catch (RuntimeException e) {
            joinQuietly(s3Starter);
            s3.close();
            throw e;
        }
        if (s3Failure[0] != null) {
            kafka.close();
            s3.close();
            throw s3Failure[0];
        }
        return new EmbeddedInfrastructure(kafka, s3);
    }

    /** Starts a broker with default settings and an in-memory S3 server. */
    public static EmbeddedInfrastructure start() {
        return start(Map.of(), EmbeddedS3.inMemory());
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    @Override
    public void close() {
        // Side by side: neither server needs the other to stop.
        Thread s3Stopper = new Thread(s3::close, "embedded-s3-stop");
        s3Stopper.start();
        try {
            kafka.close();
        } finally {
            joinQuietly(s3Stopper);
        }
    }
}
