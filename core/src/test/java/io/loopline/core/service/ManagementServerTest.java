package io.loopline.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.metrics.StageMetrics;
import io.loopline.events.Stage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The probes' answers through a service's life, and the metrics page. */
class ManagementServerTest {

    /** A service whose state the test sets. */
    private static final class FakeService implements Service {
        volatile boolean running;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }

    @Test
    void startingIsAliveButNotReadyAndAServiceThatStoppedWorkingIsNeither() throws Exception {
        FakeService service = new FakeService();
        try (ManagementServer server = ManagementServer.start(service, 0)) {
            int port = server.port();
            assertThat(status(port, ManagementServer.LIVE))
                    .as("starting: alive")
                    .isEqualTo(200);
            assertThat(status(port, ManagementServer.READY))
                    .as("starting: not ready")
                    .isEqualTo(503);

            service.start();
            assertThat(status(port, ManagementServer.READY)).isEqualTo(200);
            assertThat(status(port, ManagementServer.LIVE)).isEqualTo(200);

            service.running = false; // its workers died
            assertThat(status(port, ManagementServer.READY)).isEqualTo(503);
            assertThat(status(port, ManagementServer.LIVE))
                    .as("worked, then stopped working: restart it")
                    .isEqualTo(503);
        }
    }

    @Test
    void metricsArePrometheusTextWithTheServiceTagAndOnlyGetIsAllowed() throws Exception {
        FakeService service = new FakeService();
        try (ManagementServer server = ManagementServer.start(service, 0)) {
            StageMetrics.recordsFailed(Stage.RENDER, "NO_FACE").increment();
            HttpResponse<String> metrics = get(server.port(), ManagementServer.METRICS);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("loopline_records_failed_total{code=\"NO_FACE\",service=\"fake\",stage=\"render\"}");
            HttpResponse<String> post = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + server.port() + ManagementServer.READY))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    private static int status(int port, String path) throws IOException, InterruptedException {
        return get(port, path).statusCode();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
