package io.loopline.tensor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Images in the layout the model runtime uses: RGB, channels first [3, H, W], values in [-1, 1]. */
public final class Images {

    private Images() {}

    /**
     * An 8-bit grayscale PNG of {@code width × height} (such as ingest's person mask), its pixels row-major.
     *
     * @throws IllegalArgumentException when the bytes are not such an image
     */
    public static byte[] grayPixels(byte[] png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        if (image == null
                || image.getWidth() != width
                || image.getHeight() != height
                || image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IllegalArgumentException("not an 8-bit grayscale " + width + "×" + height + " image");
        }
        byte[] pixels = new byte[width * height];
        image.getRaster().getDataElements(0, 0, width, height, pixels);
        return pixels;
    }

    public static float[] toRgbMinusOneToOne(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[3 * w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                out[y * w + x] = ((rgb >> 16) & 0xFF) / 127.5f - 1;
                out[w * h + y * w + x] = ((rgb >> 8) & 0xFF) / 127.5f - 1;
                out[2 * w * h + y * w + x] = (rgb & 0xFF) / 127.5f - 1;
            }
        }
        return out;
    }
}
