package io.loopline.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.events.GenerationRequest;
import io.loopline.events.ObjectRef;
import io.loopline.schemas.SampleEvents;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {

    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i + 1);
        }
    }

    private static GenerationRequest request() {
        return GenerationRequest.newBuilder(SampleEvents.request("acme", "r-42"))
                .setImage(new ObjectRef("loopline-inputs", "acme/face.jpg", "ab".repeat(32), 12_345L))
                .setAudio(new ObjectRef("loopline-inputs", "acme/speech.wav", "cd".repeat(32), 678L))
                .build();
    }

    @Test
    void theSignatureIsAnHmacOfTheDocumentedLinesAsAnyLanguageComputesIt() {
        assertThat(RequestSignature.signedText(request()))
                .isEqualTo("loopline-request-signature-v1\n"
                        + "tenant=acme\n"
                        + "request_id=r-42\n"
                        + "image=loopline-inputs/acme/face.jpg sha256=" + "ab".repeat(32) + " size=12345\n"
                        + "audio=loopline-inputs/acme/speech.wav sha256=" + "cd".repeat(32) + " size=678\n");
        // Computed with Python's hmac and hashlib.sha256 from the same lines and key bytes 1..32.
        assertThat(RequestSignature.sign(request(), KEY)).isEqualTo("NFdJSZPTYn1_qkFDJjkIWAGMEkrbsuzKzkExB8UeXgQ");
    }

    @Test
    void aSignedRequestVerifiesAndAnyChangeToWhatItMayReadBreaksIt() {
        GenerationRequest signed = GenerationRequest.newBuilder(request())
                .setSignature(RequestSignature.sign(request(), KEY))
                .build();
        assertThat(RequestSignature.verify(signed, KEY)).isTrue();

        GenerationRequest.Builder[] tampered = {
            GenerationRequest.newBuilder(signed).setTenant("globex"),
            GenerationRequest.newBuilder(signed).setRequestId("r-43"),
            GenerationRequest.newBuilder(signed)
                    .setImage(new ObjectRef("loopline-inputs", "globex/face.jpg", "ab".repeat(32), 12_345L)),
            GenerationRequest.newBuilder(signed)
                    .setAudio(new ObjectRef("loopline-inputs", "acme/speech.wav", "cd".repeat(32), 679L)),
            GenerationRequest.newBuilder(signed).setSignature(null),
            GenerationRequest.newBuilder(signed).setSignature("not-a-signature")
        };
        for (GenerationRequest.Builder t : tampered) {
            assertThat(RequestSignature.verify(t.build(), KEY)).isFalse();
        }
        byte[] otherKey = Arrays.copyOf(KEY, KEY.length);
        otherKey[0] ^= 1;
        assertThat(RequestSignature.verify(signed, otherKey)).isFalse();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> RequestSignature.sign(request(), new byte[16]))
                .hasMessageContaining("at least 32 bytes");
    }
}
