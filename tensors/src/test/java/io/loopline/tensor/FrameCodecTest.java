package io.loopline.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void convertsToI420WithBt601LimitedRangeAndClamping() {
        // [3, F=2, H=2, W=2]: channel planes, frames inside them. Frame 0: white over black (top row white);
        // frame 1: red, written with values outside [-1, 1] and a NaN, which clamp.
        float[] frames = {
            1f,
            1f,
            -1f,
            -1f, /* r, frame 0 */
            2f,
            1f,
            1f,
            1f, /* r, frame 1 */
            1f,
            1f,
            -1f,
            -1f, /* g, frame 0 */
            Float.NaN,
            -1f,
            -3f,
            -1f, /* g, frame 1 */
            1f,
            1f,
            -1f,
            -1f, /* b, frame 0 */
            -1f,
            -1f,
            -1f,
            -2f /* b, frame 1 */
        };
        byte[] i420 = FrameCodec.toI420(frames, 2, 2, 2);
        assertThat(unsigned(i420))
                .containsExactly(235, 235, 16, 16, /* Y */ 128, /* U */ 128, /* V */ 82, 82, 82, 82, 90, 240);
    }

    @Test
    void toRgbInvertsTheConversionWithinRounding() {
        int h = 4;
        int w = 6;
        float[] frames = new float[3 * h * w];
        float[] colour = {0.6f, -0.2f, 0.1f};
        for (int c = 0; c < 3; c++) {
            Arrays.fill(frames, c * h * w, (c + 1) * h * w, colour[c]);
        }
        byte[] i420 = FrameCodec.toI420(frames, 1, h, w);
        float[] box = new float[3 * 2 * 3];
        FrameCodec.cropToRgb(i420, 0, h, w, 1, 1, 3, 2, box);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                assertThat(box[c * 6 + i]).as("channel %d", c).isCloseTo(colour[c], Assertions.within(3 / 127.5f));
            }
        }
    }

    @Test
    void oddSizesAreRefused() {
        assertThatThrownBy(() -> FrameCodec.encode(new float[3 * 3 * 4], 1, 3, 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("even");
    }

    @Test
    void storedFramesComeBackBitExact() throws IOException {
        int count = 5;
        int h = 8;
        int w = 10;
        float[] frames = new float[3 * count * h * w];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (float) random.nextDouble(-1.2, 1.2);
        }
        byte[] stored = FrameCodec.encode(frames, count, h, w, 1);
        Npy.ByteTensor back = FrameCodec.decode(stored);
        assertThat(back.shape()).containsExactly(count, h * 3 / 2, w);
        assertThat(back.data()).isEqualTo(FrameCodec.toI420(frames, count, h, w));
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
        // The raw frames are count × 6 KB of noise; the differences of the repeats are zeros.
        int frameBytes = FrameCodec.frameBytes(s, s);
        assertThat(stored.length).isLessThan(2 * frameBytes);
        byte[] raw = Zstd.decompress(stored, (int) Zstd.getFrameContentSize(stored));
        int header = raw.length - count * frameBytes;
        for (int i = header + frameBytes; i < raw.length; i++) {
            assertThat(raw[i]).as("difference at %d", i).isZero();
        }
    }

    @Test
    void refusesWhatIsNotStoredFrames() {
        assertThatThrownBy(() -> FrameCodec.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}))
                .isInstanceOf(IOException.class);
        byte[] notFrames = Zstd.compress(Npy.toBytes(new Npy.ByteTensor(new int[] {2, 3}, new byte[6])));
        assertThatThrownBy(() -> FrameCodec.decode(notFrames))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("shape");
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }
}
