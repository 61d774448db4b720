package io.loopline.ingest;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The ingest options in docs/configuration.md are generated from {@link IngestConfig#configDef()}. */
class IngestDocsTest {

    @Test
    void ingestOptionsTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                "ingest-options",
                ConfigDocs.serviceOptionsTable(IngestConfig.configDef(), IngestConfig.SERVICE));
    }
}
