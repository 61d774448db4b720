package io.loopline.packstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackStageServiceTest {

    @TempDir
    Path dir;

    @Test
    void aRequestForAMissingOrBrokenPackIsRefusedWithItsStableCode() throws Exception {
        Path packs = dir.resolve("packs");
        Files.createDirectories(packs.resolve("broken"));
        Files.writeString(
                packs.resolve("broken").resolve("pack.json"),
                "{\"format\": \"loopline-pack/1\", \"name\": \"broken\"}");
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(1))) {
            PackRegistry registry = new PackRegistry(packs, dir.resolve("cache"), sessions);
            assertThat(PackStageService.packFor(registry, "reference")
                            .manifest()
                            .name())
                    .isEqualTo("reference");
            assertThatThrownBy(() -> PackStageService.packFor(registry, "nope"))
                    .isInstanceOfSatisfying(
                            RequestRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_PACK_UNKNOWN))
                    .hasMessage(
                            "The model pack \"nope\" is not installed; available: broken, reference, reference-history.");
            assertThatThrownBy(() -> PackStageService.packFor(registry, "broken"))
                    .isInstanceOfSatisfying(
                            RequestRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_PACK_INVALID))
                    .hasMessageStartingWith("The model pack \"broken\" cannot be used: ");
            assertThatThrownBy(() -> PackStageService.packFor(registry, "../etc"))
                    .isInstanceOfSatisfying(
                            RequestRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_PACK_UNKNOWN));
        }
    }
}
