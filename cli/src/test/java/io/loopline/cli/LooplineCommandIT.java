package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code loopline} command as a user meets it: exit codes and the one-line errors on stderr. */
class LooplineCommandIT {

    private static final Path MEDIA = Path.of("..", "ingest-service", "src", "test", "resources", "media");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Loopline.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aMissingFileIsRefusedBeforeAnythingStarts() {
        Run r = run(
                "generate",
                "--image",
                dir.resolve("nope.jpg").toString(),
                "--audio",
                MEDIA.resolve("good/speech.wav").toString(),
                "--out",
                dir.resolve("out.mp4").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("ERROR INPUT_NOT_FOUND: The image file ").contains("does not exist");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void badOptionsAndAFolderAsOutputAreRefusedBeforeAnythingStarts() {
        long started = System.nanoTime();
        String speech = MEDIA.resolve("good/speech.wav").toString();
        Run size = run(
                "generate",
                "--image",
                speech,
                "--audio",
                speech,
                "--size",
                "500",
                "--out",
                dir.resolve("a.mp4").toString());
        assertThat(size.exit()).isEqualTo(2);
        assertThat(size.err())
                .isEqualTo(
                        "ERROR OPTION_INVALID: Option output_size must be a multiple of 16 from 128 to 1024, not 500.\n");
        Run folder = run("generate", "--image", speech, "--audio", speech, "--out", dir.toString());
        assertThat(folder.exit()).isEqualTo(2);
        assertThat(folder.err()).startsWith("ERROR OPTION_INVALID: --out ").contains("is a folder");
        Run mode = run(
                "generate",
                "--image",
                speech,
                "--audio",
                speech,
                "--mode",
                "full_body",
                "--out",
                dir.resolve("b.mp4").toString());
        assertThat(mode.exit()).isEqualTo(2);
        assertThat(mode.err())
                .isEqualTo("ERROR OPTION_INVALID: --mode must be auto, portrait or half_body, not full_body.\n");
        assertThat((System.nanoTime() - started) / 1e9)
                .as("seconds for all three")
                .isLessThan(3);
    }

    @Test
    void submitRefusesABadTenantOrRequestIdBeforeUploadingAnything() {
        long started = System.nanoTime();
        String speech = MEDIA.resolve("good/speech.wav").toString();
        String image = MEDIA.resolve("good/photo-astronaut.jpg").toString();
        Run url = submitToNowhere(image, speech, "--tenant", "http://x/y");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err())
                .isEqualTo("ERROR OPTION_INVALID: The tenant \"http://x/y\" must be 1 to 63 lower-case letters, digits,"
                        + " '_' or '-', starting with a letter or digit.\n");
        Run traversal = submitToNowhere(image, speech, "--tenant", "../globex");
        assertThat(traversal.exit()).isEqualTo(2);
        assertThat(traversal.err()).startsWith("ERROR OPTION_INVALID: The tenant \"../globex\" must be");
        Run id = submitToNowhere(image, speech, "--request-id", "../../r");
        assertThat(id.exit()).isEqualTo(2);
        assertThat(id.err()).startsWith("ERROR OPTION_INVALID: The request id \"../../r\" must be");
        Path noKey = dir.resolve("no-such.key");
        Run key = submitToNowhere(image, speech, "--tenant-key-file", noKey.toString());
        assertThat(key.exit()).isEqualTo(2);
        assertThat(key.err())
                .isEqualTo("ERROR OPTION_INVALID: --tenant-key-file " + noKey
                        + " holds no usable key: it cannot be read.\n");
        Run tenantOfGenerate = run(
                "generate",
                "--image",
                image,
                "--audio",
                speech,
                "--tenant",
                "Acme",
                "--out",
                dir.resolve("a.mp4").toString());
        assertThat(tenantOfGenerate.exit()).isEqualTo(2);
        assertThat(tenantOfGenerate.err()).startsWith("ERROR OPTION_INVALID: The tenant \"Acme\" must be");
        assertThat((System.nanoTime() - started) / 1e9)
                .as("seconds for all five")
                .isLessThan(3);
    }

    /** {@code submit} against a broker and storage where nothing listens: it fails unless it refuses first. */
    private static Run submitToNowhere(String image, String audio, String option, String value) {
        return run(
                "submit",
                "--image",
                image,
                "--audio",
                audio,
                option,
                value,
                "--bootstrap-servers",
                "127.0.0.1:9",
                "--s3-endpoint",
                "http://127.0.0.1:9",
                "--s3-access-key",
                "k",
                "--s3-secret-key",
                "secret-of-eight");
    }

    @Test
    void aMissingOptionIsAUsageError() {
        Run r = run("generate", "--image", "x.jpg");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option");
    }

    @Test
    void badMediaFailsWithItsCodeAndNoVideo() {
        Path out = dir.resolve("out.mp4");
        // A WAV file given as the image: ingest refuses it; the pipeline reports the code, the CLI exits 2.
        Run r = run(
                "generate",
                "--image",
                MEDIA.resolve("good/speech.wav").toString(),
                "--audio",
                MEDIA.resolve("good/speech.wav").toString(),
                "--out",
                out.toString(),
                "--size",
                "128");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).containsPattern("(?m)^ERROR IMAGE_[A-Z_]+: .+\\.$");
        assertThat(out).doesNotExist();
    }

    @Test
    void packExportWritesALoadablePackAndRefusesToOverwrite() throws Exception {
        Path pack = dir.resolve("pack");
        Run r = run("pack", "export", "--out", pack.toString());
        assertThat(r.exit()).isZero();
        assertThat(pack.resolve("pack.json")).exists();
        assertThat(Files.list(pack).filter(p -> p.toString().endsWith(".onnx")).count())
                .isEqualTo(5);
        Run again = run("pack", "export", "--out", pack.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).startsWith("ERROR OPTION_INVALID: The folder");
        // The exported pack, renamed as a user would, renders from its folder (not the built-in of its old name).
        Path manifest = pack.resolve("pack.json");
        String renamed = Files.readString(manifest).replace("\"name\" : \"reference\"", "\"name\" : \"mine\"");
        assertThat(renamed).contains("\"mine\"");
        Files.writeString(manifest, renamed);
        Path video = dir.resolve("mine.mp4");
        Run generated = run(
                "generate",
                "--image",
                MEDIA.resolve("good/photo-astronaut.jpg").toString(),
                "--audio",
                MEDIA.resolve("good/speech.wav").toString(),
                "--pack",
                pack.toString(),
                "--size",
                "128",
                "--out",
                video.toString());
        assertThat(generated.exit()).as(generated.err()).isZero();
        assertThat(video).isNotEmptyFile();
        Path history = dir.resolve("history");
        assertThat(run("pack", "export", "--name", "reference-history", "--out", history.toString())
                        .exit())
                .isZero();
        assertThat(Files.readString(history.resolve("pack.json"))).contains("\"chained\"", "motion_frames");
        Run unknown = run(
                "pack",
                "export",
                "--name",
                "loopy",
                "--out",
                dir.resolve("none").toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err())
                .isEqualTo("ERROR OPTION_INVALID: --name loopy is not a built-in pack; there are [reference,"
                        + " reference-history].\n");
    }

    @Test
    void generateNamesAPackThatIsNeitherBuiltInNorAFolder() {
        Run r = run(
                "generate",
                "--image",
                MEDIA.resolve("good/speech.wav").toString(),
                "--audio",
                MEDIA.resolve("good/speech.wav").toString(),
                "--pack",
                "loopy",
                "--out",
                dir.resolve("x.mp4").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("MODEL_PACK_UNKNOWN: --pack loopy is neither a built-in pack");
    }
}
