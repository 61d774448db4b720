package io.loopline.ingest;

import java.io.IOException;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.testing.GeneratedDocs;

/** The ingest options in docs/configuration.md are generated from {@link IngestConfig#configDef()}. */
class IngestDocsTest {

    @Test
    void ingestOptionsTableMatchesTheDeclaration() throws IOException {
        ConfigDef own = new ConfigDef();
        IngestConfig.configDef().configKeys().values().stream()
            .filter(k -> !LooplineConfig.configDef(IngestConfig.SERVICE).names().contains(k.name))
            .forEach(own::define);
        GeneratedDocs.checkSection(GeneratedDocs.DOCS.resolve("configuration.md"), "ingest-options", ConfigDocs.markdownTable(own));
    }
}
