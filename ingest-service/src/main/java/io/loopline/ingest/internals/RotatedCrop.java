package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.invertAffineTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A square region of an image, turned upright and resampled to a landmark model's input size, as MediaPipe crops
 * a face, body or hand before fitting its landmarks; maps the model's crop coordinates back to the image.
 * Outside the image the crop is black.
 */
final class RotatedCrop implements AutoCloseable {

    final Mat image;
    /** Crop pixels per image pixel. */
    final float scale;

    private final double[] toImage = new double[6];

    /**
     * @param side the region's side in image pixels
     * @param degrees how far the region is turned counter-clockwise to make it upright
     * @param size the crop's side in pixels
     */
    RotatedCrop(Mat bgr, float centerX, float centerY, float side, double degrees, int size) {
        this.scale = size / side;
        this.image = new Mat();
        try (Mat rotation = getRotationMatrix2D(new Point2f(centerX, centerY), degrees, scale);
                Mat inverse = new Mat()) {
            DoublePointer m = new DoublePointer(rotation.ptr());
            m.put(2, m.get(2) + size / 2.0 - centerX);
            m.put(5, m.get(5) + size / 2.0 - centerY);
            warpAffine(
                    bgr, image, rotation, new Size(size, size), INTER_LINEAR, BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
            invertAffineTransform(rotation, inverse);
            new DoublePointer(inverse.ptr()).get(toImage);
        }
    }

    /** The crop as a model input: RGB, NCHW, values in [0, 1]. */
    Mat blob() {
        return blobFromImage(
                image, 1 / 255.0, new Size(image.cols(), image.rows()), new Scalar(0, 0, 0, 0), true, false, CV_32F);
    }

    /**
     * Points (x, y, z, and any further values, {@code stride} per point) from crop pixels to image pixels, into
     * {@code out} with {@code outStride} values per point; z is scaled like x and y, values after it are copied.
     */
    void toImage(float[] points, int stride, float[] out, int outStride) {
        double a = toImage[0], b = toImage[1], c = toImage[2], e = toImage[3], f = toImage[4], g = toImage[5];
        for (int i = 0; i < points.length / stride; i++) {
            float u = points[stride * i];
            float v = points[stride * i + 1];
            out[outStride * i] = (float) (a * u + b * v + c);
            out[outStride * i + 1] = (float) (e * u + f * v + g);
            out[outStride * i + 2] = points[stride * i + 2] / scale;
            for (int k = 3; k < outStride; k++) {
                out[outStride * i + k] = points[stride * i + k];
            }
        }
    }

    @Override
    public void close() {
        image.close();
    }
}
