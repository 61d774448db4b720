package io.loopline.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BodyQualityTest {

    private static final int W = 64;
    private static final int H = 48;
    /** The person: columns 20-39, all rows; a hand at 24-36 × 30-42. */
    private static final int[] HAND = {24, 30, 36, 42};
    /** The face, above the hand. */
    private static final int[] FACE = {22, 2, 38, 20};

    private static byte[] texture(long seed) {
        byte[] luma = new byte[W * H];
        new Random(seed).nextBytes(luma);
        return luma;
    }

    private static byte[] personMask() {
        byte[] mask = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 20; x < 40; x++) {
                mask[y * W + x] = (byte) 255;
            }
        }
        return mask;
    }

    /** A texture smooth enough that a coarse search finds its way (noise blurred over 7 × 7 pixels). */
    private static byte[] smoothTexture(long seed) {
        byte[] noise = texture(seed);
        byte[] out = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int sum = 0;
                int n = 0;
                for (int dy = -3; dy <= 3; dy++) {
                    for (int dx = -3; dx <= 3; dx++) {
                        int yy = Math.min(H - 1, Math.max(0, y + dy));
                        int xx = Math.min(W - 1, Math.max(0, x + dx));
                        sum += noise[yy * W + xx] & 0xff;
                        n++;
                    }
                }
                out[y * W + x] = (byte) Math.min(255, Math.max(0, (sum / n - 128) * 4 + 128));
            }
        }
        return out;
    }

    /** An I420 frame whose luminance is {@code luma} (chroma left grey). */
    private static byte[] frame(byte[] luma) {
        byte[] i420 = new byte[W * H * 3 / 2];
        System.arraycopy(luma, 0, i420, 0, luma.length);
        return i420;
    }

    private static BodyQuality quality(
            byte[] reference, byte[] mask, List<int[]> hands, int sampleInterval, float[] audio16k) {
        return new BodyQuality(
                W, H, reference, mask, hands, FACE, audio16k, 25, audio16k.length * 25 / 16_000, sampleInterval);
    }

    /** The reference with its hand box's content moved by (dx, dy). */
    private static byte[] handMoved(byte[] reference, int dx, int dy) {
        byte[] moved = reference.clone();
        for (int y = HAND[1]; y < HAND[3]; y++) {
            for (int x = HAND[0]; x < HAND[2]; x++) {
                moved[(y + dy) * W + x + dx] = reference[y * W + x];
            }
        }
        return moved;
    }

    @Test
    void aMovedHandIsFoundWhereItIsAndKeepsItsClarity() {
        byte[] reference = smoothTexture(4);
        BodyQuality q = quality(reference, personMask(), List.of(HAND), 1, new float[16_000 * 3 / 25]);
        q.accept(0, frame(reference), 0);
        q.accept(1, frame(handMoved(reference, 3, -2)), 0);
        q.accept(2, frame(handMoved(reference, 3, -2)), 0);
        var measured = q.figures().measured();
        assertThat(measured.get(BodyQuality.HAND_CLARITY)).isCloseTo(1.0, within(0.05));
        // One step of √13 px in two frame intervals, in frame widths per second at 25 fps.
        assertThat(measured.get(BodyQuality.HAND_MOTION)).isCloseTo(Math.sqrt(13) / 3 * 25 / W, within(1e-3));
    }

    @Test
    void handsThatMoveOnTheAudiosOnsetsCorrelateWithThemAndOthersDoNot() {
        byte[] reference = smoothTexture(5);
        int frames = 100;
        float[] audio = new float[frames * 640];
        java.util.Set<Integer> onsets = java.util.Set.of(8, 21, 37, 50, 66, 79, 93);
        for (int onset : onsets) {
            for (int i = onset * 640; i < (onset + 4) * 640; i++) {
                audio[i] = 0.3f * (float) Math.sin(i * 0.2);
            }
        }
        BodyQuality withBeats = quality(reference, personMask(), List.of(HAND), 5, audio);
        BodyQuality offBeat = quality(reference, personMask(), List.of(HAND), 5, audio);
        for (int f = 0; f < frames; f++) {
            withBeats.accept(f, frame(onsets.contains(f) ? handMoved(reference, 2, -3) : reference), 0);
            offBeat.accept(f, frame(onsets.contains(f - 6) ? handMoved(reference, 2, -3) : reference), 0);
        }
        assertThat(withBeats.figures().measured().get(BodyQuality.HAND_ONSET_CORRELATION))
                .isGreaterThan(0.7);
        assertThat(offBeat.figures().measured().get(BodyQuality.HAND_ONSET_CORRELATION))
                .isLessThan(0.2);
    }

    @Test
    void aHandOnTheFaceIsLeftOutOfTheGestureFigures() {
        byte[] reference = smoothTexture(6);
        BodyQuality q = new BodyQuality(
                W, H, reference, personMask(), List.of(new int[] {24, 14, 36, 26}), FACE, new float[1280], 25, 2, 1);
        q.accept(0, frame(reference), 0);
        q.accept(1, frame(reference), 0);
        assertThat(q.figures().measured())
                .containsKey(BodyQuality.HAND_CLARITY)
                .doesNotContainKey(BodyQuality.HAND_MOTION);
        assertThat(q.figures().unmeasured().get(BodyQuality.HAND_ONSET_CORRELATION))
                .contains("rests on the face");
    }

    @Test
    void framesLikeTheReferenceScoreOneAndNoChange() {
        byte[] reference = texture(1);
        BodyQuality q = quality(reference, personMask(), List.of(HAND), 1, new float[16_000]);
        for (int i = 0; i < 3; i++) {
            q.accept(i, frame(reference), 0);
        }
        assertThat(q.figures().measured())
                .containsEntry(BodyQuality.HAND_CLARITY, 1.0)
                .containsEntry(BodyQuality.BACKGROUND_CHANGE, 0.0);
    }

    @Test
    void aBlurredHandScoresLowAndOnlyTheBackgroundCountsAsBackground() {
        byte[] reference = texture(2);
        byte[] moved = reference.clone();
        // Blur the hand (a box mean) and change the person's other pixels: neither is background.
        for (int y = HAND[1]; y < HAND[3]; y++) {
            for (int x = HAND[0]; x < HAND[2]; x++) {
                int sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        sum += reference[(y + dy) * W + x + dx] & 0xff;
                    }
                }
                moved[y * W + x] = (byte) (sum / 9);
            }
        }
        for (int y = 0; y < 10; y++) {
            for (int x = 20; x < 40; x++) {
                moved[y * W + x] = 0;
            }
        }
        // Lift the background's far left columns by 51 levels (a fifth of the range).
        int lifted = 0;
        int[] background =
                BodyQuality.backgroundPixels(W, H, personMask(), (int) Math.ceil(BodyQuality.MASK_GROWTH * W));
        for (int p : background) {
            if (p % W < 8) {
                moved[p] = (byte) Math.min(255, (reference[p] & 0xff) + 51);
                lifted += Math.min(255, (reference[p] & 0xff) + 51) - (reference[p] & 0xff);
            }
        }
        BodyQuality q = quality(reference, personMask(), List.of(HAND), 2, new float[16_000]);
        q.accept(0, frame(moved), 0);
        q.accept(1, frame(reference), 0); // not a sampled frame
        var measured = q.figures().measured();
        assertThat(measured.get(BodyQuality.HAND_CLARITY)).isLessThan(0.3);
        assertThat(measured.get(BodyQuality.BACKGROUND_CHANGE))
                .isCloseTo(lifted / (255.0 * background.length), within(1e-4));
    }

    @Test
    void theBackgroundStartsAGrownMarginAwayFromThePerson() {
        int[] background = BodyQuality.backgroundPixels(W, H, personMask(), 3);
        for (int p : background) {
            int x = p % W;
            assertThat(x < 17 || x > 42).as("column %d", x).isTrue();
        }
        assertThat(background).hasSize((17 + 21) * H);
    }

    @Test
    void withoutHandsOrBackgroundTheFiguresSayWhy() {
        byte[] all = new byte[W * H];
        java.util.Arrays.fill(all, (byte) 255);
        BodyQuality q = quality(texture(3), all, List.of(), 1, new float[16_000]);
        q.accept(0, frame(texture(3)), 0);
        assertThat(q.figures().measured()).isEmpty();
        assertThat(q.figures().unmeasured())
                .containsKeys(
                        BodyQuality.HAND_CLARITY,
                        BodyQuality.BACKGROUND_CHANGE,
                        BodyQuality.HAND_MOTION,
                        BodyQuality.HAND_ONSET_CORRELATION);
    }
}
