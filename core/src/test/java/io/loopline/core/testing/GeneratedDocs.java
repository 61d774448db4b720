package io.loopline.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a generated section of a document (between {@code <!-- name:begin (generated) -->} and
 * {@code <!-- name:end -->}) against what the code declares. With {@code -Dloopline.docs.update=true}
 * the section is rewritten instead.
 */
public final class GeneratedDocs {

    /** The repository's docs folder, seen from a module folder (where tests run). */
    public static final Path DOCS = Path.of("..", "docs");

    private GeneratedDocs() {}

    public static void checkSection(Path file, String name, String expected) throws IOException {
        String begin = "<!-- " + name + ":begin (generated) -->\n";
        String end = "<!-- " + name + ":end -->";
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("%s has the marker %s", file, begin.strip()).isNotNegative();
        assertThat(to).as("%s has the marker %s", file, end).isGreaterThan(from);
        String actual = text.substring(from + begin.length(), to);
        if (!actual.equals(expected) && Boolean.getBoolean("loopline.docs.update")) {
            Files.writeString(
                    file,
                    text.substring(0, from + begin.length()) + expected + text.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual)
                .as("%s section %s is generated; rerun the test with -Dloopline.docs.update=true", file, name)
                .isEqualTo(expected);
    }
}
