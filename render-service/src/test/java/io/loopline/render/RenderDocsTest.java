package io.loopline.render;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The render options in docs/configuration.md are generated from {@link RenderConfig#configDef()}. */
class RenderDocsTest {

    @Test
    void renderOptionsTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                "render-options",
                ConfigDocs.serviceOptionsTable(RenderConfig.configDef(), RenderConfig.SERVICE));
    }
}
