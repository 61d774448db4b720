package io.loopline.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.events.ObjectRef;
import io.loopline.events.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

    private static final String INPUTS = "loopline-inputs";

    private static ObjectRef ref(String bucket, String key) {
        return ObjectRef.newBuilder()
                .setBucket(bucket)
                .setKey(key)
                .setSha256("00")
                .setSize(1)
                .build();
    }

    @Test
    void derivedKeysAreDeterministic() {
        assertThat(ObjectKeys.derived("acme", "req-1", Stage.INGEST, "reference.png"))
                .isEqualTo("acme/req-1/ingest/reference.png");
        assertThat(ObjectKeys.derived("acme", "req-1", Stage.RENDER, "frames/segment-0003.bin"))
                .isEqualTo("acme/req-1/render/frames/segment-0003.bin");
        assertThatThrownBy(() -> ObjectKeys.derived("acme", "../x", Stage.INGEST, "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.derived("Acme", "r", Stage.INGEST, "a"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.derived("acme", "r", Stage.INGEST, "../../b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKeys.derived("acme", "r", Stage.UNKNOWN, "a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme/face.jpg", "acme/uploads/2026/11/face-01.png", "acme/a_b/c.d.wav"})
    void plainKeysUnderTheTenantPrefixAreAccepted(String key) {
        assertThatCode(() -> ObjectKeys.checkTenantInput(ref(INPUTS, key), "acme", INPUTS, "image"))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "acme/../other/face.jpg",
                "acme/./face.jpg",
                "../acme/face.jpg",
                "/acme/face.jpg",
                "other/face.jpg",
                "acme-evil/face.jpg",
                "acme",
                "acme/",
                "acme//face.jpg",
                "http://169.254.169.254/latest/meta-data",
                "s3://bucket/acme/face.jpg",
                "file:/etc/passwd",
                "acme\\..\\other\\x.jpg",
                "acme/%2e%2e/other/x.jpg",
                "acme/face\u0000.jpg",
                "acme/face\n.jpg",
                "acme/f ace.jpg",
                "",
                "acme/..",
                "ACME/face.jpg"
            })
    void anythingElseIsForbidden(String key) {
        assertThatThrownBy(() -> ObjectKeys.checkTenantInput(ref(INPUTS, key), "acme", INPUTS, "image"))
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REF_FORBIDDEN);
                    assertThat(e.getMessage())
                            .startsWith("The image")
                            .endsWith(".")
                            .doesNotContain("\n")
                            .doesNotContain("\u0000");
                });
    }

    @Test
    void otherBucketsAndBadTenantsAreForbidden() {
        assertThatThrownBy(() ->
                        ObjectKeys.checkTenantInput(ref("loopline-outputs", "acme/v.mp4"), "acme", INPUTS, "audio"))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("inputs bucket");
        assertThatThrownBy(() -> ObjectKeys.checkTenantInput(ref(INPUTS, "../x/y.wav"), "..", INPUTS, "audio"))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("tenant id");
    }
}
