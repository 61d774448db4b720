package io.loopline.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import io.loopline.core.tensor.FrameCodec;
import io.loopline.core.tensor.Npy;

/**
 * Stored frames are lossless, and the chosen format is measured against per-frame PNG on a real
 * portrait: the figures printed here are the ones in docs/render.md.
 */
class FrameCodecTest {

    /** 16 frames of the reference pack talking, as render stores them. */
    private static float[] renderedFrames(BufferedImage image, int count) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("codec");
        try (io.loopline.model.runtime.OnnxSessions sessions = new io.loopline.model.runtime.OnnxSessions(
                io.loopline.model.runtime.RuntimeOptions.cpu(2))) {
            var pack = new io.loopline.model.pack.PackRegistry(null, dir, sessions).require("reference");
            var generator = new io.loopline.model.PortraitGenerator(pack, sessions.environment());
            var c = generator.condition(io.loopline.model.audio.WavFilesAccess.read("/audio/sentence.wav"), 1);
            float[] landmarks;
            try (var in = FrameCodecTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
                landmarks = Npy.read(in).data();
            }
            return generator.render(io.loopline.model.Images.toRgbMinusOneToOne(image), image.getHeight(), image.getWidth(), landmarks, c, 16, count, 1, 2,
                io.loopline.model.scheduler.Guidance.NONE);
        }
    }

    @Test
    void framesRoundTripBitExactAndBeatPngOnSpeed() throws Exception {
        BufferedImage image = ImageIO.read(FrameCodecTest.class.getResource("/portrait/reference-256.png"));
        int s = image.getWidth();
        int count = 16;
        float[] frames = renderedFrames(image, count);
        byte[] rgb = FrameCodec.toRgb8(frames, count, s, s);
        long t0 = System.nanoTime();
        byte[] stored = FrameCodec.encode(frames, count, s, s, 3);
        long t1 = System.nanoTime();
        Npy.ByteTensor back = FrameCodec.decode(stored);
        long t2 = System.nanoTime();
        assertThat(back.shape()).containsExactly(count, s, s, 3);
        assertThat(back.data()).isEqualTo(rgb);
        int[] pixel = new int[1];
        image.getRGB(10, 20, 1, 1, pixel, 0, 1);
        assertThat(Math.abs((back.data()[(20 * s + 10) * 3] & 0xFF) - ((pixel[0] >> 16) & 0xFF))).as("a background pixel keeps its red")
            .isLessThanOrEqualTo(1);

        long p0 = System.nanoTime();
        int pngBytes = 0;
        for (int f = 0; f < count; f++) {
            BufferedImage frame = new BufferedImage(s, s, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int i = ((f * s + y) * s + x) * 3;
                    frame.setRGB(x, y, ((rgb[i] & 0xFF) << 16) | ((rgb[i + 1] & 0xFF) << 8) | (rgb[i + 2] & 0xFF));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(frame, "png", png);
            pngBytes += png.size();
        }
        long p1 = System.nanoTime();
        System.out.printf("16 frames %dx%d: zstd-3 .delta.npy %d bytes, encode %.1f ms, decode %.1f ms; PNG (ImageIO) %d bytes, encode %.1f ms%n",
            s, s, stored.length, (t1 - t0) / 1e6, (t2 - t1) / 1e6, pngBytes, (p1 - p0) / 1e6);
        assertThat(stored.length).as("compressed well below raw").isLessThan(rgb.length);
    }
}
