package io.loopline.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker and an S3-compatible server, in-process, started together and closed together:
 * what the CLI's embedded mode and the integration tests run against.
 */
public final class EmbeddedInfrastructure implements AutoCloseable {

    /** The file in a data folder that keeps the servers' ports and keys. */
    public static final String ADDRESS_FILE = "address.properties";

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;

    private EmbeddedInfrastructure(EmbeddedKafka kafka, EmbeddedS3 s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * Runs both servers until the process is stopped, for services started elsewhere on this machine
     * (tools/image-smoke.sh runs the service images against them, the fault-injection suite its service processes):
     * writes the client settings, in the properties format every Loopline service and command reads, to
     * {@code SETTINGS_FILE}. With {@code DATA_DIR} the broker's log, the objects, the ports and the keys live there,
     * so that the process can be killed and started again with the same arguments on the same address and data;
     * without it everything is temporary.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: EmbeddedInfrastructure SETTINGS_FILE [DATA_DIR]");
            System.exit(2);
        }
        EmbeddedInfrastructure infra =
                args.length == 2 ? startIn(Path.of(args[1])) : start(Map.of(), EmbeddedS3.inTemporaryDirectory());
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
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }

    /**
     * Starts both servers on the address and data kept in {@code dataDir} ({@code kafka/}, {@code s3/} and
     * {@value #ADDRESS_FILE}), choosing ports and keys on the first start; closing keeps the data.
     */
    public static EmbeddedInfrastructure startIn(Path dataDir) {
        try {
            Path addressFile = dataDir.resolve(ADDRESS_FILE);
            Properties address = new Properties();
            if (Files.exists(addressFile)) {
                try (Reader in = Files.newBufferedReader(addressFile, StandardCharsets.UTF_8)) {
                    address.load(in);
                }
            } else {
                Files.createDirectories(dataDir.resolve("s3"));
                address.setProperty("kafka.port", Integer.toString(FreePorts.pick()));
                address.setProperty("kafka.controller.port", Integer.toString(FreePorts.pick()));
                address.setProperty("kafka.cluster.id", Uuid.randomUuid().toString());
                address.setProperty("s3.port", Integer.toString(FreePorts.pick()));
                address.setProperty("s3.access.key", EmbeddedS3.newAccessKey());
                address.setProperty("s3.secret.key", EmbeddedS3.newSecretKey());
                Path partial = dataDir.resolve(ADDRESS_FILE + ".part");
                try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                    address.store(out, "the embedded servers' address, kept for restarts");
                }
                Files.move(partial, addressFile, StandardCopyOption.ATOMIC_MOVE);
            }
            EmbeddedKafka kafka = EmbeddedKafka.inDirectory(
                    dataDir.resolve("kafka"),
                    Integer.parseInt(address.getProperty("kafka.port")),
                    Integer.parseInt(address.getProperty("kafka.controller.port")),
                    address.getProperty("kafka.cluster.id"));
            EmbeddedS3 s3 = EmbeddedS3.inDirectory(
                    dataDir.resolve("s3"),
                    Integer.parseInt(address.getProperty("s3.port")),
                    address.getProperty("s3.access.key"),
                    address.getProperty("s3.secret.key"));
            return start(kafka, s3);
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedInfrastructureException(
                    "Could not start the embedded servers on the data in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Starts both servers (in parallel: together they take about as long as the broker alone). */
    public static EmbeddedInfrastructure start(Map<String, String> brokerOverrides, EmbeddedS3 s3) {
        return start(new EmbeddedKafka(brokerOverrides), s3);
    }

    private static EmbeddedInfrastructure start(EmbeddedKafka kafka, EmbeddedS3 s3) {
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
