package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantKeysTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("keys.properties"), text);
    }

    private static String key(int fill, int bytes) {
        byte[] key = new byte[bytes];
        java.util.Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void eachTenantHasItsKeysAndOthersNone() throws IOException {
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40]);
        TenantKeys keys =
                TenantKeys.load(file("acme=" + key(1, 32) + ", " + key(2, 48) + "\nglobex=" + urlSafe + "\n"));
        assertThat(keys.of("acme")).hasSize(2);
        assertThat(keys.of("acme").get(1)).hasSize(48);
        assertThat(keys.of("globex"))
                .singleElement()
                .satisfies(k -> assertThat(k).hasSize(40));
        assertThat(keys.of("initech")).isEmpty();
    }

    @Test
    void aBadFileFailsTheStartNamingTheTenantButNeverTheKey() throws IOException {
        String shortKey = key(7, 16);
        assertThatThrownBy(() -> TenantKeys.load(file("acme=" + shortKey + "\n")))
                .hasMessageContaining("A key of tenant acme")
                .hasMessageContaining("holds 16 bytes; at least 32")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> TenantKeys.load(file("acme=not base64 at all!\n")))
                .hasMessageContaining("A key of tenant acme")
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> TenantKeys.load(file("../globex=" + key(1, 32) + "\n")))
                .hasMessageContaining("is not a valid tenant id");
        assertThatThrownBy(() -> TenantKeys.load(dir.resolve("missing.properties")))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aBadNewVersionKeepsTheKeysReadBefore() throws IOException {
        Path file = file("acme=" + key(1, 32) + "\n");
        TenantKeys keys = TenantKeys.load(file);
        Files.writeString(file, "acme=short\n");
        assertThat(keys.of("acme"))
                .singleElement()
                .satisfies(k -> assertThat(k[0]).isEqualTo((byte) 1));
        Files.writeString(file, "acme=" + key(3, 32) + "\n#rotated\n");
        assertThat(keys.of("acme"))
                .singleElement()
                .satisfies(k -> assertThat(k[0]).isEqualTo((byte) 3));
    }
}
