package io.loopline.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.tensor.Npy;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference denoiser's skeleton-driven warp ({@link BodyRig}) on a synthetic half body: a small face in the top
 * left corner, the subject's right forearm from (130, 215) to a hand around (190, 185), on a textured image.
 */
class BodyRigTest {

    private static final int S = 256;
    private static final int FRAMES = 2;
    private static final float HAND_X = 190;
    private static final float HAND_Y = 185;

    @TempDir
    static Path dir;

    private static OnnxSessions sessions;
    private static OrtSession session;
    private static float[] reference;
    private static float[] landmarks;

    @BeforeAll
    static void load() throws Exception {
        sessions = new OnnxSessions(RuntimeOptions.cpu(2));
        Path model = dir.resolve("denoiser.onnx");
        Files.write(model, OracleDenoiser.build(6));
        session = sessions.open(model);
        reference = texture();
        try (InputStream in = BodyRigTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
        for (int i = 0; i < landmarks.length; i++) {
            landmarks[i] *= 0.3f; // the face shrunk into the top left corner
        }
    }

    @AfterAll
    static void close() {
        sessions.close();
    }

    /** Smooth random texture (so that a shift can be told apart), RGB [3, S, S] in [-1, 1]. */
    private static float[] texture() {
        Random random = new Random(11);
        float[] noise = new float[S * S];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextFloat() * 2 - 1;
        }
        float[] out = new float[3 * S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                float sum = 0;
                for (int d = -2; d <= 2; d++) {
                    sum += noise[y * S + Math.floorMod(x + d, S)] + noise[Math.floorMod(y + d, S) * S + x];
                }
                for (int c = 0; c < 3; c++) {
                    out[c * S * S + y * S + x] = sum / 10 * (1 + c * 0.2f);
                }
            }
        }
        return out;
    }

    /** A pose with the subject's right elbow and wrist (and its knuckles) seen, everything else unseen. */
    private static float[] pose() {
        float[] pose = new float[33 * 4];
        set(pose, 14, 130, 215); // right elbow
        set(pose, 16, 178, 192); // right wrist
        set(pose, 18, 200, 180); // pinky
        set(pose, 20, 202, 188); // index
        set(pose, 22, 186, 176); // thumb
        return pose;
    }

    private static void set(float[] pose, int landmark, float x, float y) {
        pose[landmark * 4] = x;
        pose[landmark * 4 + 1] = y;
        pose[landmark * 4 + 3] = 0.95f;
    }

    /** The right hand's 21 landmarks on a circle of radius 14 around the hand's centre. */
    private static float[] hands() {
        float[] hands = new float[2 * 21 * 3];
        for (int i = 0; i < 21; i++) {
            double a = 2 * Math.PI * i / 21;
            hands[63 + i * 3] = HAND_X + (float) (14 * Math.cos(a));
            hands[63 + i * 3 + 1] = HAND_Y + (float) (14 * Math.sin(a));
        }
        return hands;
    }

    private static float[] predict(float[] pose, float[] hands, float arm) throws Exception {
        OrtEnvironment env = sessions.environment();
        float[] motion = new float[FRAMES * Motion.COUNT];
        motion[Motion.COUNT + Motion.ARM_RIGHT] = arm; // frame 1; frame 0 at rest
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("reference_latents", OnnxTensor.createTensor(env, FloatBuffer.wrap(reference), new long[] {1, 3, S, S}));
        in.put("audio_features", OnnxTensor.createTensor(env, FloatBuffer.allocate(FRAMES * 6), new long[] {1, FRAMES, 6
        }));
        in.put("motion", OnnxTensor.createTensor(env, FloatBuffer.wrap(motion), new long[] {1, FRAMES, Motion.COUNT}));
        in.put("landmarks", OnnxTensor.createTensor(env, FloatBuffer.wrap(landmarks), new long[] {1, 468, 3}));
        in.put("pose", OnnxTensor.createTensor(env, FloatBuffer.wrap(pose), new long[] {1, 33, 4}));
        in.put("hands", OnnxTensor.createTensor(env, FloatBuffer.wrap(hands), new long[] {1, 2, 21, 3}));
        try (OrtSession.Result r = session.run(in)) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().array();
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** The largest difference between frame f's box around the hand and the reference's moved by (dx, dy). */
    private static double mismatch(float[] frames, int f, int dx, int dy) {
        double worst = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = (int) HAND_Y - 10; y <= HAND_Y + 10; y++) {
                for (int x = (int) HAND_X - 10; x <= HAND_X + 10; x++) {
                    float out = frames[(c * FRAMES + f) * S * S + y * S + x];
                    float in = reference[c * S * S + (y - dy) * S + x - dx];
                    worst = Math.max(worst, Math.abs(out - in));
                }
            }
        }
        return worst;
    }

    @Test
    void aRaisedForearmLiftsTheHandByWholePixelsSoItIsCopiedNotResampled() throws Exception {
        float[] frames = predict(pose(), hands(), 1f);
        int[] best = null;
        double bestMismatch = Double.MAX_VALUE;
        for (int dy = -20; dy <= 20; dy++) {
            for (int dx = -20; dx <= 20; dx++) {
                double m = mismatch(frames, 1, dx, dy);
                if (m < bestMismatch) {
                    bestMismatch = m;
                    best = new int[] {dx, dy};
                }
            }
        }
        assertThat(best[1]).as("the hand rises").isLessThanOrEqualTo(-3);
        assertThat(bestMismatch).as("the hand is an exact copy").isLessThan(1e-4);
        assertThat(mismatch(frames, 0, 0, 0)).as("at rest it stays").isLessThan(1e-4);
    }

    @Test
    void withoutABodyNothingBelowTheFaceMovesWhateverTheBodyChannelsSay() throws Exception {
        float[] frames = predict(new float[33 * 4], new float[2 * 21 * 3], 1f);
        assertThat(mismatch(frames, 1, 0, 0)).isZero();
    }

    @Test
    void aHandAtTheFaceStaysWhereItIs() throws Exception {
        float[] pose = pose();
        float[] hands = hands();
        // The chin lies at the hand: move the face onto it.
        float dx = HAND_X - landmarks[152 * 3];
        float dy = HAND_Y - landmarks[152 * 3 + 1];
        float[] moved = landmarks.clone();
        for (int i = 0; i < moved.length; i += 3) {
            moved[i] += dx;
            moved[i + 1] += dy;
        }
        float[] saved = landmarks;
        landmarks = moved;
        try {
            float[] frames = predict(pose, hands, 1f);
            float[] still = predict(pose, hands, 0f);
            assertThat(mismatch(frames, 1, 0, 0)).isEqualTo(mismatch(still, 1, 0, 0));
        } finally {
            landmarks = saved;
        }
    }
}
