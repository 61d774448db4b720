package io.loopline.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.DdimScheduler;
import io.loopline.model.scheduler.NoiseSchedule;
import io.loopline.model.scheduler.PredictionType;
import io.loopline.model.scheduler.SeededNoise;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oracle denoiser on a real framed portrait: it predicts the deformed reference, and leads a sampler there too. */
class OracleDenoiserTest {

    private static final int S = 256;
    private static final int FRAMES = 3;
    private static final NoiseSchedule SCHEDULE =
            NoiseSchedule.of(NoiseSchedule.BetaSchedule.SCALED_LINEAR, 0.00085, 0.012, 1000);

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
        BufferedImage image = ImageIO.read(OracleDenoiserTest.class.getResource("/portrait/reference-256.png"));
        reference = Images.toRgbMinusOneToOne(image);
        try (InputStream in = OracleDenoiserTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
    }

    @AfterAll
    static void close() {
        sessions.close();
    }

    /** The prediction for FRAMES frames with the given motion rows: [3, F, S, S]. */
    private static float[] predict(float[][] motionRows) throws Exception {
        OrtEnvironment env = sessions.environment();
        float[] motion = new float[FRAMES * Motion.COUNT];
        for (int f = 0; f < FRAMES; f++) {
            System.arraycopy(motionRows[f], 0, motion, f * Motion.COUNT, Motion.COUNT);
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("reference_latents", OnnxTensor.createTensor(env, FloatBuffer.wrap(reference), new long[] {1, 3, S, S}));
        in.put("audio_features", OnnxTensor.createTensor(env, FloatBuffer.allocate(FRAMES * 6), new long[] {1, FRAMES, 6
        }));
        in.put("motion", OnnxTensor.createTensor(env, FloatBuffer.wrap(motion), new long[] {1, FRAMES, Motion.COUNT}));
        in.put("landmarks", OnnxTensor.createTensor(env, FloatBuffer.wrap(landmarks), new long[] {1, 468, 3}));
        in.put("pose", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[33 * 4]), new long[] {1, 33, 4}));
        in.put("hands", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[2 * 21 * 3]), new long[] {1, 2, 21, 3
        }));
        try (OrtSession.Result r = session.run(in)) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().array();
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** Samples with a DDIM sampler of {@code steps} steps fed the (x₀) predictions: returns [3, F, S, S]. */
    private static float[] sample(float[][] motionRows, int steps) throws Exception {
        float[] clean = predict(motionRows);
        DdimScheduler ddim = new DdimScheduler(SCHEDULE, PredictionType.SAMPLE, steps, 0);
        SeededNoise noise = SeededNoise.of(5);
        float[] x = ddim.initialSample(noise.gaussian(clean.length));
        for (int i = 0; i < ddim.steps(); i++) {
            ddim.step(clean, i, x, noise);
        }
        return x;
    }

    /** Mean absolute difference to the reference in a box of frame f. */
    private static double change(float[] frames, int f, int x0, int y0, int x1, int y1) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += Math.abs(
                            frames[c * FRAMES * S * S + f * S * S + y * S + x] - reference[c * S * S + y * S + x]);
                    n++;
                }
            }
        }
        return sum / n;
    }

    private int[] box(int... landmarkIds) {
        float minX = S, minY = S, maxX = 0, maxY = 0;
        for (int id : landmarkIds) {
            minX = Math.min(minX, landmarks[3 * id]);
            maxX = Math.max(maxX, landmarks[3 * id]);
            minY = Math.min(minY, landmarks[3 * id + 1]);
            maxY = Math.max(maxY, landmarks[3 * id + 1]);
        }
        return new int[] {(int) minX, (int) minY, (int) Math.ceil(maxX) + 1, (int) Math.ceil(maxY) + 1};
    }

    @Test
    void withoutMotionThePredictionIsTheReference() throws Exception {
        float[] frames = predict(new float[FRAMES][Motion.COUNT]);
        for (int f = 0; f < FRAMES; f++) {
            assertThat(change(frames, f, 0, 0, S, S)).as("frame %d", f).isLessThan(2e-3);
        }
    }

    @Test
    void aSamplerFedThePredictionsEndsOnThem() throws Exception {
        float[][] motion = new float[FRAMES][Motion.COUNT];
        motion[0][Motion.JAW] = 1f;
        float[] clean = predict(motion);
        float[] sampled = sample(motion, 3);
        for (int k = 0; k < clean.length; k += 97) {
            assertThat(sampled[k]).isCloseTo(clean[k], Assertions.within(1e-4f));
        }
    }

    @Test
    void eachChannelMovesItsOwnPartOfTheFace() throws Exception {
        float[][] motion = new float[FRAMES][Motion.COUNT];
        motion[0][Motion.JAW] = 1f;
        motion[1][Motion.BLINK] = 1f;
        motion[2][Motion.YAW] = 0.2f;
        float[] frames = predict(motion);
        int[] mouth = box(61, 291, 0, 17);
        int[] eyes = box(159, 145, 386, 374);
        int[] corner = {0, 0, 24, 24};
        // Jaw: the mouth changes, the eyes and the background do not.
        assertThat(change(frames, 0, mouth[0], mouth[1], mouth[2], mouth[3] + 10))
                .isGreaterThan(0.08);
        assertThat(change(frames, 0, eyes[0], eyes[1], eyes[2], eyes[3])).isLessThan(0.01);
        assertThat(change(frames, 0, corner[0], corner[1], corner[2], corner[3]))
                .isLessThan(2e-3);
        // Blink: the eyes change, the mouth does not.
        assertThat(change(frames, 1, eyes[0], eyes[1], eyes[2], eyes[3])).isGreaterThan(0.03);
        assertThat(change(frames, 1, mouth[0], mouth[1], mouth[2], mouth[3])).isLessThan(0.01);
        // Turning the head moves the whole face; the image corner (a textured flag) shifts by a fraction of a pixel at
        // most.
        assertThat(change(frames, 2, mouth[0], eyes[1], mouth[2], mouth[3])).isGreaterThan(0.05);
        assertThat(change(frames, 2, corner[0], corner[1], corner[2], corner[3]))
                .isLessThan(0.02);
    }

    @Test
    void theGraphIsDeterministic() {
        assertThat(OracleDenoiser.build(6)).isEqualTo(OracleDenoiser.build(6));
    }
}
