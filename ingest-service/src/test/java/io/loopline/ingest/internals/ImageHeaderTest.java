package io.loopline.ingest.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Header parsing alone: no pixel is decoded, so it is safe against bombs and truncations. */
class ImageHeaderTest {

    private static byte[] read(String file) throws IOException {
        return TestMedia.bytes(file);
    }

    private static void assertRejected(byte[] bytes, ErrorCode code, String fragment) {
        assertThatThrownBy(() -> ImageHeader.parse(bytes)).isInstanceOfSatisfying(RequestRejectedException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(fragment);
        });
    }

    @Test
    void formatsAndSizesAreReadFromHeaders() throws Exception {
        assertThat(ImageHeader.parse(read("good/photo-grace-hopper.jpg")))
                .isEqualTo(new ImageHeader(ImageHeader.Format.JPEG, 512, 600, false));
        assertThat(ImageHeader.parse(read("good/cmyk.jpg")))
                .isEqualTo(new ImageHeader(ImageHeader.Format.JPEG, 307, 360, false));
        assertThat(ImageHeader.parse(read("good/alpha-vignette.png")))
                .isEqualTo(new ImageHeader(ImageHeader.Format.PNG, 307, 307, true));
        assertThat(ImageHeader.parse(read("good/sixteen-bit.png")))
                .isEqualTo(new ImageHeader(ImageHeader.Format.PNG, 256, 300, false));
        assertThat(ImageHeader.parse(read("good/photo.webp")))
                .isEqualTo(new ImageHeader(ImageHeader.Format.WEBP, 512, 600, false));
    }

    @Test
    void aBombIsSizedWithoutDecoding() throws Exception {
        ImageHeader bomb = ImageHeader.parse(read("bad/bomb-30000x30000.png"));
        assertThat(bomb.pixels()).isEqualTo(900_000_000L);
    }

    @Test
    void truncationsAndGarbageAreRefused() throws Exception {
        assertRejected(new byte[0], ErrorCode.IMAGE_UNDECODABLE, "empty");
        assertRejected(read("bad/truncated.jpg"), ErrorCode.IMAGE_UNDECODABLE, "truncated");
        assertRejected(read("bad/truncated.png"), ErrorCode.IMAGE_UNDECODABLE, "truncated");
        assertRejected(read("bad/truncated.webp"), ErrorCode.IMAGE_UNDECODABLE, "truncated");
        byte[] jpeg = read("good/photo-grace-hopper.jpg");
        assertRejected(Arrays.copyOf(jpeg, 100), ErrorCode.IMAGE_UNDECODABLE, "truncated");
        assertRejected(Arrays.copyOf(jpeg, 3), ErrorCode.IMAGE_UNDECODABLE, "");
        byte[] png = read("good/alpha-vignette.png");
        assertRejected(Arrays.copyOf(png, 20), ErrorCode.IMAGE_UNDECODABLE, "truncated");
    }

    @Test
    void otherFormatsAreNamed() throws Exception {
        assertRejected(read("bad/portrait.gif"), ErrorCode.IMAGE_UNSUPPORTED, "GIF");
        assertRejected(read("bad/portrait.bmp"), ErrorCode.IMAGE_UNSUPPORTED, "BMP");
        assertRejected(read("bad/photo.heic"), ErrorCode.IMAGE_UNSUPPORTED, "HEIC");
        assertRejected(read("bad/text-named.png"), ErrorCode.IMAGE_UNSUPPORTED, "not a JPEG, PNG or WebP");
        assertRejected(
                "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8),
                ErrorCode.IMAGE_UNSUPPORTED,
                "SVG");
        assertRejected(read("good/speech.wav"), ErrorCode.IMAGE_UNSUPPORTED, "not a JPEG");
    }
}
