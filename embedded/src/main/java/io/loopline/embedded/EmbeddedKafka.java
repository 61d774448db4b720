package io.loopline.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller combined) running inside this JVM
 * on free loopback ports, with its log directory in a temporary folder removed on {@link #close()}. It can be
 * {@link #stop() stopped} and started again on the same ports and data, as a broker outage.
 *
 * <p>This is the production broker code ({@code kafka.server.KafkaRaftServer}), not a fake: clients
 * talk to it over TCP exactly as they would to a cluster.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Map<String, String> overrides;
    private final boolean ownsLogDir;
    private Path logDir;
    private int brokerPort;
    private int controllerPort;
    private String clusterId;
    private KafkaRaftServer server;
    private String bootstrapServers;

    /** A broker with the settings a single node needs; {@code overrides} win over them. */
    public EmbeddedKafka(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
        this.ownsLogDir = true;
    }

    private EmbeddedKafka(Path logDir, int brokerPort, int controllerPort, String clusterId) {
        this.overrides = Map.of();
        this.ownsLogDir = false;
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /**
     * A broker on fixed ports whose data lives in {@code logDir}, which the caller owns (it is kept on close): a
     * broker process killed and started again with the same arguments comes back on the same address and data.
     */
    public static EmbeddedKafka inDirectory(Path logDir, int brokerPort, int controllerPort, String clusterId) {
        return new EmbeddedKafka(logDir, brokerPort, controllerPort, clusterId);
    }

    public EmbeddedKafka() {
        this(Map.of());
    }

    /**
     * Formats storage and starts the broker; returns once it accepts clients. After {@link #stop()}, starts it
     * again on the same ports and data.
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        try {
            if (logDir == null) {
                logDir = Files.createTempDirectory("loopline-kafka-");
                brokerPort = FreePorts.pick();
                controllerPort = FreePorts.pick();
                clusterId = Uuid.randomUuid().toString();
            }
            Files.createDirectories(logDir);
            Properties props = serverProperties(brokerPort, controllerPort);
            format(props);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            bootstrapServers = "127.0.0.1:" + brokerPort;
            awaitReady(Duration.ofSeconds(60));
            log.info(
                    "Embedded Kafka ready at {} in {} ms", bootstrapServers, (System.nanoTime() - started) / 1_000_000);
            return this;
        } catch (IOException e) {
            close();
            throw new EmbeddedInfrastructureException(
                    "Could not start the embedded Kafka broker: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("The embedded Kafka broker is not started");
        }
        return bootstrapServers;
    }

    private Properties serverProperties(int brokerPort, int controllerPort) {
        Map<String, String> p = new TreeMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // A single node: every internal topic must live with one replica, or consumers silently get nothing.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("auto.create.topics.enable", "false");
        // Embedded brokers live on laptops and CI runners: keep memory and threads small.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        // A single broker has no one to hand its partitions to: asking the controller for a controlled shutdown only
        // delays closing.
        p.put("controlled.shutdown.enable", "false");
        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private void format(Properties props) throws IOException {
        Path config = logDir.resolve("server.properties.tmp");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "embedded Loopline broker");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool$.MODULE$.execute(
                    new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"}, ps);
        }
        Files.deleteIfExists(config);
        if (rc != 0) {
            throw new EmbeddedInfrastructureException(
                    "Formatting the embedded broker's storage failed: "
                            + out.toString(StandardCharsets.UTF_8).trim(),
                    null);
        }
    }

    private void awaitReady(Duration timeout) {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedInfrastructureException("Interrupted while waiting for the embedded broker", e);
                } catch (Exception e) {
                    last = new RuntimeException(e);
                }
                sleep(100);
            }
        }
        throw new EmbeddedInfrastructureException(
                "The embedded Kafka broker did not become ready within " + timeout, last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shuts the broker down, keeping its ports and data for {@link #start()}: clients meet an outage meanwhile. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("Embedded Kafka broker did not shut down cleanly", e);
            }
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        bootstrapServers = null;
        if (logDir != null && ownsLogDir) {
            FileUtils.deleteQuietly(logDir.toFile());
            logDir = null;
        }
    }
}
