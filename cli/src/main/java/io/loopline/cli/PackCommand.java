package io.loopline.cli;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.reference.ReferencePack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loopline pack export}: a built-in pack as a folder. */
@Command(
        name = "pack",
        mixinStandardHelpOptions = true,
        description = "Model pack tools.",
        subcommands = PackCommand.Export.class)
final class PackCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing command: export.");
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Writes a built-in pack (pack.json and its ONNX models) to a folder, to inspect, modify or load with generate --pack.")
    static final class Export implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "Folder to write; created if missing.")
        Path out;

        @Option(
                names = "--name",
                defaultValue = ReferencePack.NAME,
                description = "Which built-in pack: reference (default) or reference-history.")
        String name;

        @Override
        public Integer call() throws Exception {
            if (Files.isDirectory(out)) {
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw new RequestRejectedException(
                                ErrorCode.OPTION_INVALID,
                                "The folder " + out + " is not empty; choose a new or empty folder.");
                    }
                }
            }
            if (!PackRegistry.builtInNames().contains(name)) {
                throw new RequestRejectedException(
                        ErrorCode.OPTION_INVALID,
                        "--name " + name + " is not a built-in pack; there are " + PackRegistry.builtInNames() + ".");
            }
            PackRegistry.writeBuiltIn(name, out);
            try (var files = Files.list(out)) {
                for (Path f : files.sorted().toList()) {
                    System.out.printf("%-22s %,10d bytes%n", f.getFileName(), Files.size(f));
                }
            }
            System.out.println("Pack " + name + " written to " + out.toAbsolutePath()
                    + " (load it with: loopline generate --pack " + out + " ...)");
            return 0;
        }
    }
}
