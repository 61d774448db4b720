package io.loopline.render;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;

/** The render options in docs/configuration.md are generated from {@link RenderConfig#configDef()}. */
class RenderDocsTest {

    @Test
    void renderOptionsTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(GeneratedDocs.DOCS.resolve("configuration.md"), "render-options",
            ConfigDocs.serviceOptionsTable(RenderConfig.configDef(), RenderConfig.SERVICE));
    }
}
