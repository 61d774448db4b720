package io.loopline.cli;

import io.loopline.core.config.ConfigDocs;
import io.loopline.core.testing.GeneratedDocs;
import io.loopline.feature.FeatureConfig;
import io.loopline.ingest.IngestConfig;
import io.loopline.mux.MuxConfig;
import io.loopline.render.RenderConfig;
import io.loopline.status.StatusConfig;
import java.io.IOException;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each service's own options in docs/configuration.md are generated from its configuration's declaration. */
class ServiceOptionsDocsTest {

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of(IngestConfig.SERVICE, IngestConfig.configDef()),
                Arguments.of(FeatureConfig.SERVICE, FeatureConfig.configDef()),
                Arguments.of(RenderConfig.SERVICE, RenderConfig.configDef()),
                Arguments.of(MuxConfig.SERVICE, MuxConfig.configDef()),
                Arguments.of(StatusConfig.SERVICE, StatusConfig.configDef()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void optionsTableMatchesTheDeclaration(String service, ConfigDef options) throws IOException {
        GeneratedDocs.checkSection(
                GeneratedDocs.DOCS.resolve("configuration.md"),
                service + "-options",
                ConfigDocs.serviceOptionsTable(options, service));
    }
}
