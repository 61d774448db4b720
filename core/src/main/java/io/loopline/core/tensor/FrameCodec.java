package io.loopline.core.tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;


/**
 * How a segment's frames are stored: 8-bit RGB, layout [frames, height, width, 3], as differences —
 * each frame minus the one before it, the first frame minus its pixel to the left, byte by byte
 * modulo 256 — in a NumPy {@code .npy} uint8 tensor compressed with Zstandard
 * ({@code .delta.npy.zst}). Lossless for the 8-bit video that is encoded from it. Consecutive frames
 * of a talking portrait differ by little (most of the picture moves by a fraction of a pixel, if at
 * all), so the differences are small numbers: a segment compresses to half of what the frames
 * themselves do, in half the time (figures in docs/render.md). {@code zstd -d}, {@code numpy.load}
 * and two cumulative sums (see docs/render.md) give the frames back.
 */
public final class FrameCodec {

    public static final String EXTENSION = ".delta.npy.zst";
    public static final String CONTENT_TYPE = "application/zstd";

    private FrameCodec() {
    }

    /** Frames as RGB in [-1, 1], layout [3, F, H, W] (what the generator returns), to 8-bit [F, H, W, 3]. */
    public static byte[] toRgb8(float[] frames, int count, int height, int width) {
        byte[] rgb = new byte[count * height * width * 3];
        writeRgb8(frames, count, height * width, rgb, 0);
        return rgb;
    }

    /**
     * Writes the frames as 8-bit RGB, [F, H, W, 3], at {@code offset}: pixel by pixel, so the writes are
     * sequential (a channel at a time wrote every third byte, several times slower).
     */
    private static void writeRgb8(float[] frames, int count, int plane, byte[] out, int offset) {
        int o = offset;
        for (int f = 0; f < count; f++) {
            int r = f * plane;
            int g = (count + f) * plane;
            int b = (2 * count + f) * plane;
            for (int i = 0; i < plane; i++) {
                out[o] = toByte(frames[r + i]);
                out[o + 1] = toByte(frames[g + i]);
                out[o + 2] = toByte(frames[b + i]);
                o += 3;
            }
        }
    }

    /** [-1, 1] to 0..255, rounded half up; out-of-range values clamp (NaN gives 0). */
    private static byte toByte(float x) {
        // Math.round(v) is floor(v + 0.5); v >= 0 after the clamp, so the cast floors.
        float v = (x + 1f) * 127.5f + 0.5f;
        return (byte) (v <= 0f ? 0 : v >= 255f ? 255 : (int) v);
    }

    /**
     * Frames as RGB in [-1, 1], layout [3, F, H, W] (what the generator returns), stored: converted to
     * 8 bits straight into this thread's reusable buffer after the {@code .npy} header, turned into
     * differences in place and compressed with its reusable context — allocating zstd's working memory
     * and frame-sized buffers per segment costs several times the compression itself (page faults).
     */
    public static byte[] encode(float[] frames, int count, int height, int width, int level) {
        int plane = height * width;
        byte[] header = Npy.uint8Header(count, height, width, 3);
        Scratch scratch = SCRATCH.get();
        int n = header.length + count * plane * 3;
        byte[] src = scratch.source(n);
        System.arraycopy(header, 0, src, 0, header.length);
        writeRgb8(frames, count, plane, src, header.length);
        toDifferences(src, header.length, count, plane * 3);
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

    /** Frames [count, frameBytes] at {@code offset} to differences, in place (last frame first, so each subtracts the original). */
    static void toDifferences(byte[] data, int offset, int count, int frameBytes) {
        for (int f = count - 1; f >= 1; f--) {
            int at = offset + f * frameBytes;
            for (int i = at; i < at + frameBytes; i++) {
                data[i] -= data[i - frameBytes];
            }
        }
        for (int i = offset + frameBytes - 1; i >= offset + 3; i--) {
            data[i] -= data[i - 3];
        }
    }

    /** The inverse of {@link #toDifferences}, in place. */
    static void fromDifferences(byte[] data, int offset, int count, int frameBytes) {
        for (int i = offset + 3; i < offset + frameBytes; i++) {
            data[i] += data[i - 3];
        }
        for (int f = 1; f < count; f++) {
            int at = offset + f * frameBytes;
            for (int i = at; i < at + frameBytes; i++) {
                data[i] += data[i - frameBytes];
            }
        }
    }

    /** The frames of a stored segment, [F, H, W, 3]; decompressed straight into the tensor's array. */
    public static Npy.ByteTensor decode(byte[] stored) throws IOException {
        Npy.ByteTensor tensor;
        try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(stored))) {
            tensor = Npy.readBytes(in);
        } catch (com.github.luben.zstd.ZstdIOException e) {
            throw new IOException("Not a Zstandard frame: " + e.getMessage(), e);
        }
        int[] shape = tensor.shape();
        if (shape.length != 4 || shape[3] != 3) {
            throw new IOException("Stored frames have shape " + java.util.Arrays.toString(shape) + ", not [frames, height, width, 3]");
        }
        fromDifferences(tensor.data(), 0, shape[0], shape[1] * shape[2] * 3);
        return tensor;
    }
}
