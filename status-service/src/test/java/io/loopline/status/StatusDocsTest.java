package io.loopline.status;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The status options in docs/configuration.md are generated from {@link StatusConfig#configDef()}. */
class StatusDocsTest {

    @Test
    void statusOptionsTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                "status-options",
                ConfigDocs.serviceOptionsTable(StatusConfig.configDef(), StatusConfig.SERVICE));
    }
}
