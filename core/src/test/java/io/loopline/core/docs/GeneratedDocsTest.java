package io.loopline.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.ErrorCode;

/**
 * The option and error-code tables in docs/ are generated from their single declarations
 * ({@link LooplineConfig#configDef}, {@link ErrorCode}); this test fails when they drift.
 * Refresh them with {@code ./mvnw -pl core test -Dtest=GeneratedDocsTest -Dloopline.docs.update=true}.
 */
class GeneratedDocsTest {

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void configurationTableMatchesTheDeclaration() throws IOException {
        checkSection(DOCS.resolve("configuration.md"), "common-options",
            ConfigDocs.markdownTable(LooplineConfig.configDef("<service>")));
    }

    @Test
    void errorCodeTableMatchesTheEnum() throws IOException {
        String table = "| code | meaning |\n|---|---|\n" + Arrays.stream(ErrorCode.values())
            .map(c -> "| `" + c.name() + "` | " + c.meaning() + " |\n").collect(Collectors.joining());
        checkSection(DOCS.resolve("errors.md"), "error-codes", table);
    }

    private static void checkSection(Path file, String name, String expected) throws IOException {
        String begin = "<!-- " + name + ":begin (generated) -->\n";
        String end = "<!-- " + name + ":end -->";
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("%s has the marker %s", file, begin.strip()).isNotNegative();
        assertThat(to).as("%s has the marker %s", file, end).isGreaterThan(from);
        String actual = text.substring(from + begin.length(), to);
        if (!actual.equals(expected) && Boolean.getBoolean("loopline.docs.update")) {
            Files.writeString(file, text.substring(0, from + begin.length()) + expected + text.substring(to), StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("%s section %s is generated; rerun with -Dloopline.docs.update=true", file, name).isEqualTo(expected);
    }
}
