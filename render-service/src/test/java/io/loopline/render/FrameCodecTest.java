package io.loopline.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.Guidance;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;

/**
 * Stored frames are lossless, and the chosen format is measured against per-frame PNG on a real
 * portrait: the figures printed here are the ones in docs/render.md.
 */
class FrameCodecTest {

    /** 16 frames of the reference pack talking, as render stores them. */
    private static float[] renderedFrames(BufferedImage image, int count) throws Exception {
        Path dir = Files.createTempDirectory("codec");
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(2))) {
            var pack = new PackRegistry(null, dir, sessions).require("reference");
            var generator = new PortraitGenerator(pack, sessions.environment());
            var c = generator.condition(WavFilesAccess.read("/audio/sentence.wav"), 1);
            float[] landmarks;
            try (var in = FrameCodecTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
                landmarks = Npy.read(in).data();
            }
            return generator.render(
                    Images.toRgbMinusOneToOne(image),
                    image.getHeight(),
                    image.getWidth(),
                    landmarks,
                    c,
                    16,
                    count,
                    1,
                    2,
                    Guidance.NONE);
        } finally {
            FileUtils.deleteQuietly(dir.toFile()); // the pack written there
        }
    }

    @Test
    void framesRoundTripBitExactAndCompress() throws Exception {
        BufferedImage image = ImageIO.read(FrameCodecTest.class.getResource("/portrait/reference-256.png"));
        int s = image.getWidth();
        int count = 16;
        float[] frames = renderedFrames(image, count);
        byte[] i420 = FrameCodec.toI420(frames, count, s, s);
        long t0 = System.nanoTime();
        byte[] stored = FrameCodec.encode(frames, count, s, s, 1);
        long t1 = System.nanoTime();
        Npy.ByteTensor back = FrameCodec.decode(stored);
        long t2 = System.nanoTime();
        assertThat(back.shape()).containsExactly(count, s * 3 / 2, s);
        assertThat(back.data()).isEqualTo(i420);
        // A background pixel keeps its colour through 4:2:0 (the flag's flat field: its block shares one colour).
        int[] pixel = new int[1];
        image.getRGB(10, 20, 1, 1, pixel, 0, 1);
        float[] rgb = new float[3];
        FrameCodec.cropToRgb(back.data(), 0, s, s, 10, 20, 1, 1, rgb);
        for (int c = 0; c < 3; c++) {
            int expected = (pixel[0] >> (16 - 8 * c)) & 0xFF;
            assertThat(Math.abs((rgb[c] + 1f) * 127.5f - expected))
                    .as("channel %d of a background pixel", c)
                    .isLessThanOrEqualTo(6f);
        }
        System.out.printf(
                "16 frames %dx%d: zstd-1 %s %d bytes of %d, encode %.1f ms, decode %.1f ms%n",
                s, s, FrameCodec.EXTENSION, stored.length, i420.length, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        assertThat(stored.length).as("compressed well below raw").isLessThan(i420.length / 2);
    }
}
