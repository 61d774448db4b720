package io.loopline.cli;

import io.loopline.core.errors.RequestRejectedException;
import java.io.PrintWriter;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code loopline} command. Exit codes: 0 done; 2 the input or the command line is invalid
 * ({@code ERROR <CODE>: <sentence>} on stderr); 1 anything else went wrong.
 */
@Command(
        name = "loopline",
        mixinStandardHelpOptions = true,
        version = "loopline 0.1.0",
        description =
                "Audio-driven portrait video: one portrait image plus one audio track in, a talking portrait video out.",
        subcommands = {
            GenerateCommand.class,
            PackCommand.class,
            SubmitCommand.class,
            StatusCommand.class,
            FetchCommand.class,
            ReplayCommand.class
        })
public final class Loopline implements Runnable {

    public static final int INVALID_INPUT = 2;
    public static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Every command takes it. Log levels are set from the raw arguments before any logger exists
     * ({@link Logging}); this parsed value decides whether an error report includes its stack trace.
     */
    @Option(
            names = {"--verbose", "-v"},
            scope = ScopeType.INHERIT,
            description = "Show the services' logs, and the stack trace of an unexpected error.")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing command: generate, pack, submit, status, fetch or replay.");
    }

    public static void main(String[] args) {
        Logging.configure(args);
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (no {@code System.exit}: tests call this). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Loopline());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof RequestRejectedException r) {
                err.println("ERROR " + r.code() + ": " + r.getMessage());
                return INVALID_INPUT;
            }
            if (e instanceof RequestFailedException f) {
                err.println("ERROR " + f.code() + ": " + f.getMessage());
                return f.invalidInput() ? INVALID_INPUT : FAILED;
            }
            if (e instanceof ConfigException) {
                err.println("ERROR CONFIG: " + e.getMessage());
                return INVALID_INPUT;
            }
            err.println("ERROR: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            if (((Loopline) commandLine.getCommandSpec().root().userObject()).verbose) {
                e.printStackTrace(err);
            }
            return FAILED;
        });
        return cli.execute(args);
    }
}
