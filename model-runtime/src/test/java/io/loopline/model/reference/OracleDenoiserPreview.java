package io.loopline.model.reference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
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

/**
 * Renders the reference pack's oracle denoiser in a row of fixed motion states (rest, jaw 0.3/0.6/1,
 * rounded, spread, blink, close, gaze) into one PNG strip, for looking at the rig's extremes without
 * audio. Arguments: {@code OUT.png [IMAGE.png LANDMARKS.npy]} (default: the test portrait at 256²).
 * <pre>./mvnw -q -pl model-runtime exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.loopline.model.reference.OracleDenoiserPreview -Dexec.args=/tmp/rig.png</pre>
 */
public final class OracleDenoiserPreview {

    /** The motion states shown, one frame each: channel → value. */
    private static final float[][][] STATES = {
        {},
        {{Motion.JAW, 0.3f}},
        {{Motion.JAW, 0.6f}},
        {{Motion.JAW, 1f}},
        {{Motion.JAW, 0.6f}, {Motion.WIDTH, -0.5f}, {Motion.ROUND, 1f}},
        {{Motion.JAW, 0.5f}, {Motion.WIDTH, 0.7f}},
        {{Motion.BLINK, 1f}},
        {{Motion.CLOSE, 1f}},
        {{Motion.GAZE, -1f}},
        {{Motion.GAZE, 1f}},
    };

    private OracleDenoiserPreview() {}

    public static void main(String[] args) throws Exception {
        BufferedImage image = args.length > 1
                ? ImageIO.read(Path.of(args[1]).toFile())
                : ImageIO.read(OracleDenoiserPreview.class.getResource("/portrait/reference-256.png"));
        float[] landmarks;
        try (InputStream in = args.length > 2
                ? Files.newInputStream(Path.of(args[2]))
                : OracleDenoiserPreview.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
        int s = image.getWidth();
        int frames = STATES.length;
        float[] reference = Images.toRgbMinusOneToOne(image);
        float[] motion = new float[frames * Motion.COUNT];
        for (int f = 0; f < frames; f++) {
            for (float[] setting : STATES[f]) {
                motion[f * Motion.COUNT + (int) setting[0]] = setting[1];
            }
        }
        Path model = Files.createTempFile("denoiser", ".onnx");
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(2))) {
            Files.write(model, OracleDenoiser.build(AudioEncoderGraph.FEATURES));
            OrtSession session = sessions.open(model);
            OrtEnvironment env = sessions.environment();
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("reference_latents", OnnxTensor.createTensor(env, FloatBuffer.wrap(reference), new long[] {1, 3, s, s
            }));
            in.put(
                    "audio_features",
                    OnnxTensor.createTensor(env, FloatBuffer.allocate(frames * AudioEncoderGraph.FEATURES), new long[] {
                        1, frames, AudioEncoderGraph.FEATURES
                    }));
            in.put("motion", OnnxTensor.createTensor(env, FloatBuffer.wrap(motion), new long[] {1, frames, Motion.COUNT
            }));
            in.put("landmarks", OnnxTensor.createTensor(env, FloatBuffer.wrap(landmarks), new long[] {1, 468, 3}));
            float[] out;
            try (OrtSession.Result r = session.run(in)) {
                out = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
            BufferedImage strip = new BufferedImage(s * frames, s, BufferedImage.TYPE_INT_RGB);
            for (int f = 0; f < frames; f++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        int rgb = 0;
                        for (int c = 0; c < 3; c++) {
                            float v = out[c * frames * s * s + f * s * s + y * s + x];
                            rgb = (rgb << 8) | Math.max(0, Math.min(255, Math.round((v + 1) * 127.5f)));
                        }
                        strip.setRGB(f * s + x, y, rgb);
                    }
                }
            }
            ImageIO.write(strip, "png", Path.of(args[0]).toFile());
        } finally {
            Files.deleteIfExists(model);
        }
    }
}
