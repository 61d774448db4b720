package io.loopline.model.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackRegistryTest {

    @TempDir
    Path dir;

    @Test
    void installedBuiltInUnknownAndBrokenPacks() throws Exception {
        Path packs = dir.resolve("packs");
        TinyPack.write(packs.resolve("tiny"), m -> m);
        TinyPack.write(packs.resolve("broken"), m -> TinyPack.withTensor(m, "denoiser", true, "motion", null));
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(1))) {
            PackRegistry registry = new PackRegistry(packs, dir.resolve("cache"), sessions);
            assertThat(registry.available()).containsExactly("broken", "reference", "reference-history", "tiny");
            assertThat(registry.find("tiny").orElseThrow().manifest().name()).isEqualTo("tiny");
            assertThat(registry.find("reference").orElseThrow().manifest().name())
                    .isEqualTo("reference");
            // The reference pack is cached under a name derived from its bytes; a second registry reuses it.
            assertThat(Files.list(dir.resolve("cache"))
                            .filter(p -> p.getFileName().toString().startsWith("reference-"))
                            .count())
                    .isEqualTo(1);
            new PackRegistry(packs, dir.resolve("cache"), sessions).require("reference");
            assertThat(Files.list(dir.resolve("cache")).count()).isEqualTo(1);
            assertThat(registry.find("nope")).isEmpty();
            assertThatThrownBy(() -> registry.find("broken"))
                    .isInstanceOf(PackValidationException.class)
                    .hasMessageContaining("maps no input to the required role(s) [motion]");
            assertThat(registry.find("../etc")).isEmpty();
        }
    }
}
