package io.loopline.mux;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The mux options in docs/configuration.md are generated from {@link MuxConfig#configDef()}. */
class MuxDocsTest {

    @Test
    void muxOptionsTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                "mux-options",
                ConfigDocs.serviceOptionsTable(MuxConfig.configDef(), MuxConfig.SERVICE));
    }
}
