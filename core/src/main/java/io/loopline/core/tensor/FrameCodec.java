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

    /**
     * Compresses with this thread's reusable context and buffers: allocating zstd's working memory and
     * two frame-sized buffers per segment costs several times the compression itself (page faults).
     */
    public static byte[] encode(byte[] rgb8, int count, int height, int width, int level) {
        byte[] header = Npy.headerOf(new Npy.ByteTensor(new int[] {count, height, width, 3}, rgb8));
        Scratch scratch = SCRATCH.get();
        int n = header.length + rgb8.length;
        byte[] src = scratch.source(n);
        System.arraycopy(header, 0, src, 0, header.length);
        System.arraycopy(rgb8, 0, src, header.length, rgb8.length);
        byte[] dst = scratch.destination((int) Zstd.compressBound(n));
        scratch.context.setLevel(level);
        int size = scratch.context.compressByteArray(dst, 0, dst.length, src, 0, n);
        return java.util.Arrays.copyOf(dst, size);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's compression context and buffers, grown as needed and kept. */
    private static final class Scratch {
        final com.github.luben.zstd.ZstdCompressCtx context = new com.github.luben.zstd.ZstdCompressCtx();
        private byte[] source = new byte[0];
        private byte[] destination = new byte[0];

        byte[] source(int size) {
            if (source.length < size) {
                source = new byte[size];
            }
            return source;
        }

        byte[] destination(int size) {
            if (destination.length < size) {
                destination = new byte[size];
            }
            return destination;
        }
    }

    public static Npy.ByteTensor decode(byte[] stored) throws IOException {
        long size = Zstd.getFrameContentSize(stored);
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new IOException("Not a Zstandard frame of known size");
        }
        return Npy.readBytes(new ByteArrayInputStream(Zstd.decompress(stored, (int) size)));
    }
}
