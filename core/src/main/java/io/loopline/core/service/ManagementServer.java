package io.loopline.core.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.loopline.core.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A service process's HTTP endpoints for operations, on {@code management.port}:
 * <ul>
 * <li>{@value #LIVE} — 200 unless the service stopped working after it had started (its workers or
 * Streams threads died): the orchestrator restarts the process. Starting counts as alive, so a slow
 * model load is not killed.</li>
 * <li>{@value #READY} — 200 while the service is started and working, 503 otherwise.</li>
 * <li>{@value #METRICS} — every meter in Prometheus's text format: the stages' own
 * ({@link io.loopline.core.metrics.StageMetrics}) and the JVM's.</li>
 * </ul>
 * The JDK's own HTTP server: three read-only endpoints do not need a web framework.
 */
public final class ManagementServer implements AutoCloseable {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;
    private final Service service;
    private volatile boolean wasRunning;

    private ManagementServer(HttpServer server, PrometheusMeterRegistry registry, Service service) {
        this.server = server;
        this.registry = registry;
        this.service = service;
    }

    /** Serves {@code service}'s endpoints on {@code port} (0: any free port) and adds Prometheus to the global meter registry. */
    public static ManagementServer start(Service service, int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service.name());
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        ManagementServer management = new ManagementServer(server, registry, service);
        server.createContext(LIVE, exchange -> management.probe(exchange, management.live(), "UP", "DOWN"));
        server.createContext(READY, exchange -> management.probe(exchange, management.ready(), "READY", "NOT READY"));
        server.createContext(METRICS, exchange -> management.respond(exchange, 200, registry.scrape()));
        server.setExecutor(DaemonThreads.single(service.name() + "-management"));
        server.start();
        return management;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    boolean ready() {
        boolean running = service.isRunning();
        if (running) {
            wasRunning = true;
        }
        return running;
    }

    boolean live() {
        return ready() || !wasRunning;
    }

    /** A probe's answer: 200 and {@code up}, or 503 and {@code down}. */
    private void probe(HttpExchange exchange, boolean ok, String up, String down) throws IOException {
        respond(exchange, ok ? 200 : 503, ok ? up : down);
    }

    private void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .set(
                            "Content-Type",
                            exchange.getHttpContext().getPath().equals(METRICS)
                                    ? "text/plain; version=0.0.4; charset=utf-8"
                                    : "text/plain; charset=utf-8");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
