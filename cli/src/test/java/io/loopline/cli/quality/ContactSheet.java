package io.loopline.cli.quality;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_PNG_COMPRESSION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A contact sheet of one case: the reference, then frames of the video in time order, each above an
 * enlarged (×{@value #MOUTH_ZOOM}) crop of its mouth, labelled with the frame's time, whether the
 * audio is speech or silence there, and the measured inner-lip gap — what a reader checks the
 * figures against.
 */
final class ContactSheet {

    static final int TILE = 216;
    static final int MOUTH_ZOOM = 3;
    /** Source pixels of the mouth crop: a mouth of a portrait framed at 512² is 50–65 px wide. */
    static final int MOUTH_WIDTH = TILE / MOUTH_ZOOM;

    static final int MOUTH_HEIGHT = 40;
    private static final int LABEL = 18;

    /** One column: an image, its face mesh (may be null), and its label lines. */
    record Tile(Mat bgr, float[] landmarks, String title, String detail) {}

    private ContactSheet() {}

    static void write(Path target, List<Tile> tiles) {
        int height = LABEL + TILE + MOUTH_HEIGHT * MOUTH_ZOOM + LABEL;
        try (Mat sheet = new Mat(height, TILE * tiles.size(), CV_8UC3, new Scalar(32, 32, 32, 0))) {
            for (int k = 0; k < tiles.size(); k++) {
                Tile t = tiles.get(k);
                int x0 = k * TILE;
                label(sheet, t.title(), x0, LABEL - 5);
                try (Mat thumb = new Mat();
                        Mat into = new Mat(sheet, new Rect(x0, LABEL, TILE, TILE))) {
                    resize(t.bgr(), thumb, new Size(TILE, TILE), 0, 0, INTER_AREA);
                    thumb.copyTo(into);
                }
                if (t.landmarks() != null) {
                    Rect mouth =
                            mouthCrop(t.landmarks(), t.bgr().cols(), t.bgr().rows());
                    try (Mat crop = new Mat(t.bgr(), mouth);
                            Mat big = new Mat();
                            Mat into = new Mat(sheet, new Rect(x0, LABEL + TILE, TILE, MOUTH_HEIGHT * MOUTH_ZOOM))) {
                        resize(crop, big, new Size(TILE, MOUTH_HEIGHT * MOUTH_ZOOM), 0, 0, INTER_CUBIC);
                        big.copyTo(into);
                    }
                }
                label(sheet, t.detail(), x0, height - 5);
            }
            try (IntPointer params = new IntPointer(IMWRITE_PNG_COMPRESSION, 9)) {
                imwrite(target.toString(), sheet, params);
            }
        }
    }

    /** {@value #MOUTH_WIDTH}×{@value #MOUTH_HEIGHT} source pixels centred between the lip corners and the inner lips, inside the image. */
    static Rect mouthCrop(float[] landmarks, int width, int height) {
        double cx = (LandmarkFigures.x(landmarks, 61) + LandmarkFigures.x(landmarks, 291)) / 2;
        double cy = (LandmarkFigures.y(landmarks, 13) + LandmarkFigures.y(landmarks, 14)) / 2;
        int x = (int) Math.round(cx - MOUTH_WIDTH / 2.0);
        int y = (int) Math.round(cy - MOUTH_HEIGHT / 2.0);
        x = Math.max(0, Math.min(width - MOUTH_WIDTH, x));
        y = Math.max(0, Math.min(height - MOUTH_HEIGHT, y));
        return new Rect(x, y, MOUTH_WIDTH, MOUTH_HEIGHT);
    }

    private static void label(Mat sheet, String text, int x, int baseline) {
        putText(
                sheet,
                text,
                new Point(x + 4, baseline),
                FONT_HERSHEY_SIMPLEX,
                0.42,
                new Scalar(235, 235, 235, 0),
                1,
                LINE_AA,
                false);
    }
}
