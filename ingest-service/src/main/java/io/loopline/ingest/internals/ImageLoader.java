package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Decodes a checked image ({@link ImageHeader}) into 8-bit BGR: grayscale and 16-bit images are
 * converted, CMYK JPEGs are converted by the decoder, EXIF orientation is applied to opaque images,
 * and transparency is flattened onto a neutral mid-gray background.
 */
public final class ImageLoader {

    /** The background transparent pixels are composited onto (mid-gray, neutral for the renderer). */
    static final double NEUTRAL_BACKGROUND = 128;

    private ImageLoader() {}

    public static Mat decode(byte[] bytes, ImageHeader header) throws RequestRejectedException {
        Mat decoded;
        try (BytePointer data = new BytePointer(bytes);
                Mat buffer = new Mat(1, bytes.length, CV_8UC1, data)) {
            // IMREAD_COLOR applies EXIF orientation and converts gray/CMYK/16-bit; alpha needs UNCHANGED.
            decoded = imdecode(buffer, header.hasAlpha() ? IMREAD_UNCHANGED : IMREAD_COLOR);
        }
        if (decoded == null || decoded.empty()) {
            throw new RequestRejectedException(
                    ErrorCode.IMAGE_UNDECODABLE,
                    "The " + header.format() + " image could not be decoded; the file is corrupt.");
        }
        Mat eightBit = toEightBit(decoded);
        Mat bgr = switch (eightBit.channels()) {
            case 1 -> convert(eightBit, COLOR_GRAY2BGR);
            case 2 -> flatten(eightBit, true);
            case 3 -> eightBit;
            case 4 -> flatten(eightBit, false);
            default ->
                throw new RequestRejectedException(
                        ErrorCode.IMAGE_UNSUPPORTED,
                        "The image has " + eightBit.channels()
                                + " channels; only gray, color and color with transparency are supported.");
        };
        if (isFlat(bgr)) {
            throw new RequestRejectedException(
                    ErrorCode.NO_FACE, "The image is a single flat color; there is no face to animate.");
        }
        return bgr;
    }

    private static Mat toEightBit(Mat m) {
        if (m.depth() == CV_8U) {
            return m;
        }
        Mat out = new Mat();
        m.convertTo(out, CV_8U, m.depth() == CV_16U ? 1 / 257.0 : 255.0, 0);
        m.close();
        return out;
    }

    private static Mat convert(Mat m, int code) {
        Mat out = new Mat();
        cvtColor(m, out, code);
        m.close();
        return out;
    }

    /** Composites color over {@link #NEUTRAL_BACKGROUND} by the alpha channel (last channel). */
    private static Mat flatten(Mat withAlpha, boolean grayAndAlpha) throws RequestRejectedException {
        try (MatVector channels = new MatVector()) {
            split(withAlpha, channels);
            Mat alpha = channels.get(channels.size() - 1);
            if (countNonZero(alpha) == 0) {
                throw new RequestRejectedException(
                        ErrorCode.NO_FACE, "The image is fully transparent; there is no face to animate.");
            }
            Mat alphaF = new Mat();
            alpha.convertTo(alphaF, CV_32F, 1 / 255.0, 0);
            int colorChannels = grayAndAlpha ? 1 : 3;
            try (MatVector out = new MatVector(3)) {
                for (int c = 0; c < 3; c++) {
                    Mat color = new Mat();
                    channels.get(grayAndAlpha ? 0 : Math.min(c, colorChannels - 1))
                            .convertTo(color, CV_32F);
                    // out = color·α + background·(1-α) = (color - background)·α + background
                    Mat blended = new Mat();
                    org.bytedeco.opencv.global.opencv_core.subtract(
                            color, new Mat(color.size(), CV_32F, new Scalar(NEUTRAL_BACKGROUND)), blended);
                    org.bytedeco.opencv.global.opencv_core.multiply(blended, alphaF, blended);
                    Mat eight = new Mat();
                    blended.convertTo(eight, CV_8U, 1, NEUTRAL_BACKGROUND);
                    out.put(c, eight);
                }
                Mat bgr = new Mat();
                merge(out, bgr);
                withAlpha.close();
                return bgr;
            }
        }
    }

    private static boolean isFlat(Mat bgr) {
        try (MatVector channels = new MatVector()) {
            split(bgr, channels);
            for (int c = 0; c < channels.size(); c++) {
                try (DoublePointer min = new DoublePointer(1);
                        DoublePointer max = new DoublePointer(1)) {
                    minMaxLoc(channels.get(c), min, max, null, null, null);
                    if (max.get() - min.get() > 2) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
