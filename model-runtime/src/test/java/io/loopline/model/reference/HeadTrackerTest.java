package io.loopline.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import io.loopline.tensor.FaceMesh;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The head tracker finds a known shift of the portrait to a fraction of a pixel. */
class HeadTrackerTest {

    private static final int S = 256;
    private static float[] reference;
    private static float[] landmarks;

    @BeforeAll
    static void load() throws Exception {
        reference = Images.toRgbMinusOneToOne(
                ImageIO.read(HeadTrackerTest.class.getResource("/portrait/reference-256.png")));
        try (InputStream in = HeadTrackerTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
    }

    /** The reference moved by (dx, dy) pixels, bilinear, edges repeated. */
    static float[] shifted(float[] image, float dx, float dy) {
        float[] out = new float[image.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    float sx = Math.max(0, Math.min(S - 1, x - dx));
                    float sy = Math.max(0, Math.min(S - 1, y - dy));
                    int x0 = (int) Math.floor(sx);
                    int y0 = (int) Math.floor(sy);
                    int x1 = Math.min(S - 1, x0 + 1);
                    int y1 = Math.min(S - 1, y0 + 1);
                    float fx = sx - x0;
                    float fy = sy - y0;
                    int p = c * S * S;
                    float top = image[p + y0 * S + x0] * (1 - fx) + image[p + y0 * S + x1] * fx;
                    float bottom = image[p + y1 * S + x0] * (1 - fx) + image[p + y1 * S + x1] * fx;
                    out[p + y * S + x] = top * (1 - fy) + bottom * fy;
                }
            }
        }
        return out;
    }

    static float[] measure(float[] frame) throws Exception {
        GraphBuilder g = new GraphBuilder("head_tracker")
                .input("reference", ElementType.FLOAT, "batch", 3, "height", "width")
                .input("frame", ElementType.FLOAT, "batch", 3, "height", "width")
                .input("nose", ElementType.FLOAT, "batch", 3)
                .output("shift", ElementType.FLOAT, "batch", 3);
        String nose = "nose";
        String x = g.gather(nose, g.longScalar(0), 1);
        String y = g.gather(nose, g.longScalar(1), 1);
        String size = g.gather(nose, g.longScalar(2), 1);
        g.op("Identity", java.util.List.of(HeadTracker.motion(g, "reference", "frame", x, y, size)), "shift");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float noseX = landmarks[FaceMesh.NOSE_BRIDGE * 3];
        float noseY = landmarks[FaceMesh.NOSE_BRIDGE * 3 + 1];
        float faceSize = Math.abs(landmarks[FaceMesh.CHIN * 3 + 1] - landmarks[FaceMesh.FOREHEAD * 3 + 1]);
        try (OrtSession session = env.createSession(g.toBytes("test"));
                OnnxTensor r = OnnxTensor.createTensor(env, FloatBuffer.wrap(reference), new long[] {1, 3, S, S});
                OnnxTensor f = OnnxTensor.createTensor(env, FloatBuffer.wrap(frame), new long[] {1, 3, S, S});
                OnnxTensor n = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(new float[] {noseX, noseY, faceSize}), new long[] {1, 3});
                OrtSession.Result out = session.run(Map.of("reference", r, "frame", f, "nose", n))) {
            float[] shift = new float[3];
            ((OnnxTensor) out.get(0)).getFloatBuffer().get(shift);
            return shift;
        }
    }

    @Test
    void findsAKnownShift() throws Exception {
        for (float[] d : new float[][] {{0f, 0f}, {3.3f, -1.7f}, {-9f, 5.5f}, {14f, 8f}}) {
            float[] shift = measure(shifted(reference, d[0], d[1]));
            assertThat(shift[0]).as("dx of %s", java.util.Arrays.toString(d)).isCloseTo(d[0], offset(0.1f));
            assertThat(shift[1]).as("dy of %s", java.util.Arrays.toString(d)).isCloseTo(d[1], offset(0.1f));
        }
    }
}
