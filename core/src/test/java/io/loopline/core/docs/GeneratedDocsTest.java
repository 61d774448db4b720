package io.loopline.core.docs;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.testing.GeneratedDocs;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The option and error-code tables in docs/ are generated from their single declarations
 * ({@link LooplineConfig#configDef}, {@link ErrorCode}); this test fails when they drift.
 * Refresh them with {@code ./mvnw -pl core test -Dtest=GeneratedDocsTest -Dloopline.docs.update=true}.
 */
class GeneratedDocsTest {

    @Test
    void configurationTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                "common-options",
                ConfigDocs.markdownTable(LooplineConfig.configDef("<service>")));
    }

    @Test
    void errorCodeTableMatchesTheEnum() throws IOException {
        String table = "| code | meaning |\n|---|---|\n"
                + Arrays.stream(ErrorCode.values())
                        .map(c -> "| `" + c.name() + "` | " + c.meaning() + " |\n")
                        .collect(Collectors.joining());
        GeneratedDocs.checkSection(GeneratedDocs.DOCS.resolve("errors.md"), "error-codes", table);
    }
}
