package io.loopline.render.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MovementMapTest {

    private static final int W = 200;
    private static final int H = 200;
    /** The person: columns 80-119 from row 40 down; the face at rows 40-70. */
    private static final float[] FACE = {85, 40, 115, 70};

    private static final float[] HAND = {60, 150, 80, 170};

    private static byte[] personMask() {
        byte[] mask = new byte[W * H];
        for (int y = 40; y < H; y++) {
            for (int x = 80; x < 120; x++) {
                mask[y * W + x] = (byte) 255;
            }
        }
        for (int y = (int) HAND[1]; y < HAND[3]; y++) {
            for (int x = (int) HAND[0]; x < 80; x++) {
                mask[y * W + x] = (byte) 255;
            }
        }
        return mask;
    }

    @Test
    void thePersonMovesTheBackgroundAndTheHandsStayAsTheyAre() {
        MovementMap map = MovementMap.of(personMask(), W, H, FACE, List.of(HAND));
        assertThat(map.weight(100 * W + 100)).as("chest").isEqualTo(1f);
        assertThat(map.weight(55 * W + 100)).as("face").isEqualTo(1f);
        assertThat(map.weight(55 * W + 75))
                .as("beside the head, where it may turn")
                .isEqualTo(1f);
        assertThat(map.weight(120 * W + 10)).as("far background").isZero();
        assertThat(map.weight(5 * W + 5)).as("corner").isZero();
        assertThat(map.weight(160 * W + 70)).as("hand").isZero();
        // Beside the chest the body reaches less far than the head does.
        assertThat(map.weight(120 * W + 68)).as("12 px beside the chest").isLessThan(map.weight(55 * W + 68));
    }

    @Test
    void aPackThatMovesTheArmsGetsTheHandsAndTheirReachButNoMoreOfTheBackground() {
        float[] pose = new float[33 * 4];
        // The subject's left elbow at (90, 130) and wrist at (72, 158): the hand at the wrist.
        pose[13 * 4] = 90;
        pose[13 * 4 + 1] = 130;
        pose[13 * 4 + 3] = 0.9f;
        pose[15 * 4] = 72;
        pose[15 * 4 + 1] = 158;
        pose[15 * 4 + 3] = 0.9f;
        MovementMap map = MovementMap.withMovingArms(personMask(), W, H, FACE, pose, List.of(HAND));
        assertThat(map.weight(160 * W + 70)).as("hand").isEqualTo(1f);
        assertThat(map.weight(140 * W + 52))
                .as("above the hand, where it rises to")
                .isEqualTo(1f);
        assertThat(map.weight(120 * W + 10)).as("far background").isZero();
        // An arm the pose does not see stays as the mask has it.
        pose[15 * 4 + 3] = 0.1f;
        MovementMap unseen = MovementMap.withMovingArms(personMask(), W, H, FACE, pose, List.of(HAND));
        assertThat(unseen.weight(130 * W + 50)).isZero();
    }

    @Test
    void keepStillPutsTheReferenceBackWhereNothingMovesAndLeavesThePerson() {
        MovementMap map = MovementMap.of(personMask(), W, H, FACE, List.of(HAND));
        int count = 2;
        float[] reference = new float[3 * W * H];
        Arrays.fill(reference, 0.25f);
        float[] frames = new float[3 * count * W * H];
        Arrays.fill(frames, -0.5f);
        map.keepStill(frames, count, reference);
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < count; f++) {
                int base = (c * count + f) * W * H;
                assertThat(frames[base + 120 * W + 10]).as("background").isEqualTo(0.25f);
                assertThat(frames[base + 160 * W + 70]).as("hand").isEqualTo(0.25f);
                assertThat(frames[base + 100 * W + 100]).as("chest").isEqualTo(-0.5f);
            }
        }
    }

    @Test
    void aHandOnTheFaceMovesWithTheFace() {
        float[] handOnChin = {95, 60, 120, 85};
        MovementMap map = MovementMap.of(personMask(), W, H, FACE, List.of(handOnChin));
        assertThat(map.weight(65 * W + 100)).as("chin under the hand").isEqualTo(1f);
        assertThat(map.weight(82 * W + 110)).as("the hand below the face").isLessThan(0.5f);
    }
}
