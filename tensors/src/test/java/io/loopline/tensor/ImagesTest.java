package io.loopline.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagesTest {

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aGrayscaleMaskReadsBackPixelForPixel() throws Exception {
        BufferedImage mask = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        mask.getRaster().setSample(4, 2, 0, 255);
        mask.getRaster().setSample(1, 0, 0, 64);
        byte[] pixels = Images.grayPixels(png(mask), 5, 3);
        assertThat(pixels).hasSize(15);
        assertThat(pixels[2 * 5 + 4] & 0xff).isEqualTo(255);
        assertThat(pixels[1] & 0xff).isEqualTo(64);
        assertThat(pixels[0]).isZero();
    }

    @Test
    void anotherSizeOrAColourImageIsRefused() throws Exception {
        byte[] gray = png(new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY));
        assertThatThrownBy(() -> Images.grayPixels(gray, 4, 3)).isInstanceOf(IllegalArgumentException.class);
        byte[] colour = png(new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB));
        assertThatThrownBy(() -> Images.grayPixels(colour, 5, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8-bit grayscale");
        assertThatThrownBy(() -> Images.grayPixels(new byte[] {1, 2, 3}, 5, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
