package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_dnn.readNetFromTFLite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/** The pretrained TFLite models packaged as class-path resources, loaded into and run by OpenCV DNN. */
final class TfliteModels {

    private static final String MODELS = "/io/loopline/models/";

    private TfliteModels() {}

    static Net load(String file) {
        byte[] bytes;
        try (InputStream in = TfliteModels.class.getResourceAsStream(MODELS + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Model " + file + " is missing from the class path (built by tools/fetch-npm-models.sh)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model " + file, e);
        }
        try (BytePointer buffer = new BytePointer(bytes)) {
            return readNetFromTFLite(buffer, bytes.length);
        }
    }

    /** Runs the net; returns each output as a float array, in OpenCV's order (callers tell them apart by size). */
    static float[][] forward(Net net, Mat blob) {
        return forwardNamed(net, blob).values().toArray(new float[0][]);
    }

    /**
     * Runs the net; returns its outputs by name. OpenCV neither keeps the file's output order nor its layout (NHWC
     * outputs come back NCHW), and some models have outputs of equal size: the names tell them apart.
     */
    static Map<String, float[]> forwardNamed(Net net, Mat blob) {
        net.setInput(blob);
        try (StringVector names = net.getUnconnectedOutLayersNames();
                MatVector outs = new MatVector()) {
            net.forward(outs, names);
            Map<String, float[]> result = new LinkedHashMap<>();
            for (int i = 0; i < outs.size(); i++) {
                Mat o = outs.get(i);
                float[] values = new float[(int) o.total()];
                new FloatPointer(o.ptr()).get(values);
                // JavaCPP returns each name with its C string's terminating NUL.
                result.put(names.get(i).getString().trim(), values);
            }
            return result;
        }
    }
}
