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

    /** An I420 frame whose luminance is {@code luma} (chroma left grey). */
    private static byte[] frame(byte[] luma) {
        byte[] i420 = new byte[W * H * 3 / 2];
        System.arraycopy(luma, 0, i420, 0, luma.length);
        return i420;
    }

    @Test
    void framesLikeTheReferenceScoreOneAndNoChange() {
        byte[] reference = texture(1);
        BodyQuality q = new BodyQuality(W, H, reference, personMask(), List.of(HAND), 1);
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
        BodyQuality q = new BodyQuality(W, H, reference, personMask(), List.of(HAND), 2);
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
        BodyQuality q = new BodyQuality(W, H, texture(3), all, List.of(), 1);
        q.accept(0, frame(texture(3)), 0);
        assertThat(q.figures().measured()).isEmpty();
        assertThat(q.figures().unmeasured()).containsKeys(BodyQuality.HAND_CLARITY, BodyQuality.BACKGROUND_CHANGE);
    }
}
