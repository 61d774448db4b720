package io.loopline.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The folder ONNX Runtime extracts its libraries into is gone once the environment is up (it used to pile up). */
class OnnxExtractionFolderTest {

    @Test
    void theExtractionFolderIsRemovedOnceTheLibrariesAreLoaded() throws Exception {
        OnnxSessions.sharedEnvironment();
        Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
        field.setAccessible(true);
        Object folder = field.get(null);
        assertThat(folder).as("ONNX Runtime extracted its libraries").isInstanceOf(Path.class);
        assertThat(Files.exists((Path) folder)).as("%s still there", folder).isFalse();
    }
}
