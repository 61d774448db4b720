package io.loopline.feature;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The feature options in docs/configuration.md are generated from {@link FeatureConfig#configDef()}. */
class FeatureDocsTest {

    @Test
    void featureOptionsTableMatchesTheDeclaration() throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                "feature-options",
                ConfigDocs.serviceOptionsTable(FeatureConfig.configDef(), FeatureConfig.SERVICE));
    }
}
