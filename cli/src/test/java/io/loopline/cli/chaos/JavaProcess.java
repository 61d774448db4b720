package io.loopline.cli.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One JVM of the system under test (a service, or the broker and storage), started from the test's class path with
 * its settings in {@code LOOPLINE_*} variables, its output appended to a log file; killed with SIGKILL, frozen with
 * SIGSTOP and thawed with SIGCONT, as an orchestrator or a sick machine would.
 */
public final class JavaProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final BooleanSupplier ready;
    private Process process;

    private JavaProcess(String name, List<String> command, Map<String, String> env, Path log, BooleanSupplier ready) {
        this.name = name;
        this.command = command;
        this.env = env;
        this.log = log;
        this.ready = ready;
    }

    /**
     * A process running {@code mainClass} with {@code args}; it is ready when {@code ready} says so (null: when its
     * management port answers {@code /health/ready} with 200, the port taken from {@code env}).
     */
    static JavaProcess of(
            String name,
            Class<?> mainClass,
            List<String> args,
            Map<String, String> env,
            Integer managementPort,
            BooleanSupplier ready,
            Path logDir) {
        BooleanSupplier readiness = ready != null ? ready : () -> answersReady(managementPort);
        return of(name, mainClass, System.getProperty("java.class.path"), args, env, readiness, logDir);
    }

    /**
     * A process running {@code mainClass} from {@code classPath} (a benchmark run by Maven's exec:java has Maven's own
     * class path as {@code java.class.path}), ready when {@code ready} says so.
     */
    public static JavaProcess of(
            String name,
            Class<?> mainClass,
            String classPath,
            List<String> args,
            Map<String, String> env,
            BooleanSupplier ready,
            Path logDir) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.loopline.events,io.loopline.state",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                classPath,
                mainClass.getName()));
        command.addAll(args);
        return new JavaProcess(name, command, Map.copyOf(env), logDir.resolve(name + ".log"), ready);
    }

    public String name() {
        return name;
    }

    Path log() {
        return log;
    }

    public synchronized void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
    }

    /** Waits until the process is ready; false when it died or the time ran out. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                return false;
            }
            if (ready.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, no consumer leaves its group, nothing is flushed. */
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended within {@code grace}. */
    synchronized void stop(Duration grace) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        }
    }

    /** SIGSTOP: the process keeps its sockets open and answers nothing, like a machine that hangs. */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        long pid;
        synchronized (this) {
            pid = process.pid();
        }
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    }

    /** How many lines of the log contain {@code text}. */
    long logLinesContaining(String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static boolean answersReady(int port) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
