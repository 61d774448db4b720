package io.loopline.core.tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import com.github.luben.zstd.Zstd;


/**
 * How a segment's frames are stored: 8-bit RGB, layout [frames, height, width, 3], as a NumPy
 * {@code .npy} uint8 tensor, compressed with Zstandard ({@code .npy.zst}). Lossless for the 8-bit
 * video that is encoded from it; compresses and decompresses an order of magnitude faster than PNG
 * at a similar size (figures in docs/render.md), and {@code zstd -d} + {@code numpy.load} open it.
 */
public final class FrameCodec {

    public static final String EXTENSION = ".npy.zst";
    public static final String CONTENT_TYPE = "application/zstd";

    private FrameCodec() {
    }

    /** Frames as RGB in [-1, 1], layout [3, F, H, W] (what the generator returns), to 8-bit [F, H, W, 3]. */
    public static byte[] toRgb8(float[] frames, int count, int height, int width) {
        int plane = height * width;
        byte[] rgb = new byte[count * plane * 3];
        for (int f = 0; f < count; f++) {
            for (int c = 0; c < 3; c++) {
                int in = (c * count + f) * plane;
                int out = f * plane * 3 + c;
                for (int i = 0; i < plane; i++) {
                    // Math.round(x) is floor(x + 0.5); x >= -0.5 here after the clamp below, so the cast floors.
                    float v = (frames[in + i] + 1f) * 127.5f + 0.5f;
                    rgb[out + 3 * i] = (byte) (v <= 0f ? 0 : v >= 255f ? 255 : (int) v);
                }
            }
        }
        return rgb;
    }

    public static byte[] encode(byte[] rgb8, int count, int height, int width, int level) {
        return Zstd.compress(Npy.toBytes(new Npy.ByteTensor(new int[] {count, height, width, 3}, rgb8)), level);
    }

    public static Npy.ByteTensor decode(byte[] stored) throws IOException {
        long size = Zstd.getFrameContentSize(stored);
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IOException("Not a Zstandard frame of known size");
        }
        return Npy.readBytes(new ByteArrayInputStream(Zstd.decompress(stored, (int) size)));
    }
}
