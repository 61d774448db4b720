package io.loopline.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.github.luben.zstd.Zstd;

class FrameCodecTest {

    @Test
    void convertsToInterleavedBytesRoundingHalfUpAndClamping() {
        // [3, F=2, H=1, W=2]: channel planes, frames inside them.
        float[] frames = {
            -1f, 1f, /* r, frame 0 */ 0f, 2f, /* r, frame 1 */
            -0.5f, 0.0039f, /* g, frame 0 */ Float.NaN, -3f, /* g, frame 1 */
            0.999f, -0.99999f, /* b, frame 0 */ 0.5f, 1f /* b, frame 1 */};
        byte[] rgb = FrameCodec.toRgb8(frames, 2, 1, 2);
        assertThat(unsigned(rgb)).containsExactly(
            0, 64, 255, /**/ 255, 128, 0,
            128, 0, 191, /**/ 255, 0, 255);
    }

    @Test
    void storedFramesComeBackBitExact() throws IOException {
        int count = 5;
        int h = 7;
        int w = 9;
        float[] frames = new float[3 * count * h * w];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (float) random.nextDouble(-1.2, 1.2);
        }
        byte[] stored = FrameCodec.encode(frames, count, h, w, 1);
        Npy.ByteTensor back = FrameCodec.decode(stored);
        assertThat(back.shape()).containsExactly(count, h, w, 3);
        assertThat(back.data()).isEqualTo(FrameCodec.toRgb8(frames, count, h, w));
    }

    @Test
    void storesDifferencesThatCompressWhereFramesRepeat() {
        int count = 24;
        int s = 64;
        float[] frames = new float[3 * count * s * s];
        SplittableRandom random = new SplittableRandom(5);
        int plane = s * s;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = (float) random.nextDouble(-1, 1); // noise: incompressible within a frame
                for (int f = 0; f < count; f++) {
                    frames[(c * count + f) * plane + i] = v;
                }
            }
        }
        byte[] stored = FrameCodec.encode(frames, count, s, s, 1);
        // The raw frames are count × 12 KB of noise; the differences of the repeats are zeros.
        assertThat(stored.length).isLessThan(2 * 3 * plane);
        byte[] raw = Zstd.decompress(stored, (int) Zstd.getFrameContentSize(stored));
        int header = raw.length - count * plane * 3;
        for (int i = header + plane * 3; i < raw.length; i++) {
            assertThat(raw[i]).as("difference at %d", i).isZero();
        }
    }

    @Test
    void refusesWhatIsNotStoredFrames() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})).isInstanceOf(IOException.class);
        byte[] notFrames = Zstd.compress(Npy.toBytes(new Npy.ByteTensor(new int[] {2, 3}, new byte[6])));
        assertThatThrownBy(() -> FrameCodec.decode(notFrames)).isInstanceOf(IOException.class).hasMessageContaining("shape");
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }
}
