package io.loopline.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Best-effort removal of the temporary folders the embedded servers own. */
final class TempDirs {
    private TempDirs() {
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // A file still held open by a dying server thread; the OS reclaims the temp folder later.
                }
            });
        } catch (IOException ignored) {
            // Same as above: cleanup must never fail the caller.
        }
    }
}
