package io.loopline.tensor;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * How a segment's frames are stored: 8-bit YUV 4:2:0 — BT.601 limited range, the colours and chroma
 * resolution the H.264 video is encoded in, so mux hands the frames to the encoder as they are — each
 * frame in I420 layout (the Y plane [H, W], then U and V [H/2, W/2]), the segment as a NumPy
 * {@code .npy} uint8 tensor [frames, 3H/2, W] (each frame one tall image, as OpenCV's
 * {@code COLOR_YUV2RGB_I420} takes it), as differences — each frame minus the one before it, the first
 * frame minus its byte to the left, modulo 256 — compressed with Zstandard ({@code .i420.delta.npy.zst}).
 * Half the bytes of 8-bit RGB, whose differences compress no better; consecutive frames of a talking
 * portrait differ by little, so the differences are small numbers (figures in docs/render.md).
 * {@code zstd -d}, {@code numpy.load}, two cumulative sums and one OpenCV call give the frames back.
 * Width and height must be even.
 */
public final class FrameCodec {

    public static final String EXTENSION = ".i420.delta.npy.zst";
    public static final String CONTENT_TYPE = "application/zstd";

    private FrameCodec() {}

    /** Bytes of one stored frame of {@code height} × {@code width} (Y, then U and V at half resolution). */
    public static int frameBytes(int height, int width) {
        return height * width * 3 / 2;
    }

    /** Frames as RGB in [-1, 1], layout [3, F, H, W] (what the generator returns), to I420 frames [F, 3H/2, W]. */
    public static byte[] toI420(float[] frames, int count, int height, int width) {
        requireEven(height, width);
        byte[] out = new byte[count * frameBytes(height, width)];
        writeI420(frames, count, height, width, out, 0);
        return out;
    }

    private static void requireEven(int height, int width) {
        if (height % 2 != 0 || width % 2 != 0 || height < 2 || width < 2) {
            throw new IllegalArgumentException(
                    "4:2:0 frames need an even width and height, not " + width + "×" + height);
        }
    }

    /**
     * Writes the frames in I420 at {@code offset}, a 2×2 block of pixels at a time: four luma values and
     * the block's mean colour as chroma (BT.601 limited range, the integer formulas with 8 fraction bits).
     */
    private static void writeI420(float[] frames, int count, int height, int width, byte[] out, int offset) {
        int plane = height * width;
        int chromaWidth = width / 2;
        for (int f = 0; f < count; f++) {
            int r = f * plane;
            int g = (count + f) * plane;
            int b = (2 * count + f) * plane;
            int yOut = offset + f * frameBytes(height, width);
            int uOut = yOut + plane;
            int vOut = uOut + plane / 4;
            for (int y = 0; y < height; y += 2) {
                for (int x = 0; x < width; x += 2) {
                    int p0 = y * width + x;
                    int p1 = p0 + 1;
                    int p2 = p0 + width;
                    int p3 = p2 + 1;
                    int r0 = to8(frames[r + p0]),
                            r1 = to8(frames[r + p1]),
                            r2 = to8(frames[r + p2]),
                            r3 = to8(frames[r + p3]);
                    int g0 = to8(frames[g + p0]),
                            g1 = to8(frames[g + p1]),
                            g2 = to8(frames[g + p2]),
                            g3 = to8(frames[g + p3]);
                    int b0 = to8(frames[b + p0]),
                            b1 = to8(frames[b + p1]),
                            b2 = to8(frames[b + p2]),
                            b3 = to8(frames[b + p3]);
                    out[yOut + p0] = luma(r0, g0, b0);
                    out[yOut + p1] = luma(r1, g1, b1);
                    out[yOut + p2] = luma(r2, g2, b2);
                    out[yOut + p3] = luma(r3, g3, b3);
                    int rm = (r0 + r1 + r2 + r3 + 2) >> 2;
                    int gm = (g0 + g1 + g2 + g3 + 2) >> 2;
                    int bm = (b0 + b1 + b2 + b3 + 2) >> 2;
                    int c = (y / 2) * chromaWidth + x / 2;
                    out[uOut + c] = (byte) (((-38 * rm - 74 * gm + 112 * bm + 128) >> 8) + 128);
                    out[vOut + c] = (byte) (((112 * rm - 94 * gm - 18 * bm + 128) >> 8) + 128);
                }
            }
        }
    }

    private static byte luma(int r, int g, int b) {
        return (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    }

    /** [-1, 1] to 0..255, rounded half up; out-of-range values clamp (NaN gives 0). */
    static int to8(float x) {
        // Math.round(v) is floor(v + 0.5); the cast truncates toward zero, which the clamp makes a floor.
        return Math.max(0, Math.min(255, (int) ((x + 1f) * 127.5f + 0.5f)));
    }

    /**
     * One stored frame, I420 at {@code offset} of {@code frames}, as 8-bit RGB in [-1, 1] for the pixels of
     * the box (x0, y0, boxWidth, boxHeight): layout [3, boxHeight, boxWidth] into {@code into}. BT.601
     * limited range back to RGB, each pixel with its block's chroma.
     */
    public static void cropToRgb(
            byte[] frames,
            int offset,
            int height,
            int width,
            int x0,
            int y0,
            int boxWidth,
            int boxHeight,
            float[] into) {
        int plane = height * width;
        int u = offset + plane;
        int v = u + plane / 4;
        int boxPlane = boxWidth * boxHeight;
        for (int y = 0; y < boxHeight; y++) {
            int row = (y0 + y) * width;
            int chromaRow = ((y0 + y) / 2) * (width / 2);
            for (int x = 0; x < boxWidth; x++) {
                int c = chromaRow + (x0 + x) / 2;
                float l = 1.164f * ((frames[offset + row + x0 + x] & 0xFF) - 16);
                float cb = (frames[u + c] & 0xFF) - 128;
                float cr = (frames[v + c] & 0xFF) - 128;
                int i = y * boxWidth + x;
                into[i] = unit(l + 1.596f * cr);
                into[boxPlane + i] = unit(l - 0.392f * cb - 0.813f * cr);
                into[2 * boxPlane + i] = unit(l + 2.017f * cb);
            }
        }
    }

    private static float unit(float value255) {
        return Math.max(0f, Math.min(255f, value255)) / 127.5f - 1f;
    }

    /**
     * Frames as RGB in [-1, 1], layout [3, F, H, W] (what the generator returns), stored: converted to
     * I420 straight into this thread's reusable buffer after the {@code .npy} header, turned into
     * differences in place and compressed with its reusable context — allocating zstd's working memory
     * and frame-sized buffers per segment costs several times the compression itself (page faults).
     */
    public static byte[] encode(float[] frames, int count, int height, int width, int level) {
        requireEven(height, width);
        int frameBytes = frameBytes(height, width);
        byte[] header = Npy.uint8Header(count, height * 3 / 2, width);
        Scratch scratch = SCRATCH.get();
        int n = header.length + count * frameBytes;
        byte[] src = scratch.source(n);
        System.arraycopy(header, 0, src, 0, header.length);
        writeI420(frames, count, height, width, src, header.length);
        toDifferences(src, header.length, count, frameBytes);
        byte[] dst = scratch.destination((int) Zstd.compressBound(n));
        scratch.context.setLevel(level);
        int size = scratch.context.compressByteArray(dst, 0, dst.length, src, 0, n);
        return Arrays.copyOf(dst, size);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's compression context and buffers, grown as needed and kept. */
    private static final class Scratch {
        final ZstdCompressCtx context = new ZstdCompressCtx();
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
        for (int i = offset + frameBytes - 1; i >= offset + 1; i--) {
            data[i] -= data[i - 1];
        }
    }

    /** The inverse of {@link #toDifferences}, in place. */
    static void fromDifferences(byte[] data, int offset, int count, int frameBytes) {
        for (int i = offset + 1; i < offset + frameBytes; i++) {
            data[i] += data[i - 1];
        }
        for (int f = 1; f < count; f++) {
            int at = offset + f * frameBytes;
            for (int i = at; i < at + frameBytes; i++) {
                data[i] += data[i - frameBytes];
            }
        }
    }

    /** The frames of a stored segment, I420 [F, 3H/2, W]; decompressed straight into the tensor's array. */
    public static Npy.ByteTensor decode(byte[] stored) throws IOException {
        Npy.ByteTensor tensor;
        try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(stored))) {
            tensor = Npy.readBytes(in);
        } catch (ZstdIOException e) {
            throw new IOException("Not a Zstandard frame: " + e.getMessage(), e);
        }
        int[] shape = tensor.shape();
        if (shape.length != 3 || shape[1] % 3 != 0 || shape[2] % 2 != 0) {
            throw new IOException(
                    "Stored frames have shape " + Arrays.toString(shape) + ", not I420 [frames, 3·height/2, width]");
        }
        fromDifferences(tensor.data(), 0, shape[0], shape[1] * shape[2]);
        return tensor;
    }
}
