package io.loopline.model.reference;

import io.loopline.model.pack.PackLoader;
import io.loopline.model.pack.PackManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Packs for service tests. */
public final class TestPacks {

    public static final String CHAINED = "reference-chained";

    private TestPacks() {}

    /** Installs, under {@code packsDir}, the reference pack renamed {@value #CHAINED} and switched to chained mode. */
    public static Path installChainedReference(Path packsDir) throws IOException {
        Path dir = ReferencePack.writeTo(packsDir.resolve(CHAINED));
        PackManifest m = PackLoader.readManifest(dir);
        Files.writeString(
                dir.resolve(PackLoader.MANIFEST),
                PackLoader.toJson(new PackManifest(
                        m.format(),
                        CHAINED,
                        m.version(),
                        m.description(),
                        m.fps(),
                        m.width(),
                        m.height(),
                        m.latent(),
                        m.clip(),
                        m.motionHistory(),
                        "chained",
                        m.scheduler(),
                        m.audio(),
                        m.models())));
        return packsDir;
    }
}
