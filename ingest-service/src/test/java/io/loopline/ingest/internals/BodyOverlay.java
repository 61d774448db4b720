package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws what the face and body analyzers find on images, for looking at them: pose skeleton (seen points green,
 * unseen red), hands (left blue, right orange), the person mask as a dimmed background.
 *
 * <pre>java -cp ... io.loopline.ingest.internals.BodyOverlay OUT_DIR IMAGE...</pre>
 */
public final class BodyOverlay {

    private static final int[][] BONES = {
        {11, 12}, {11, 13}, {13, 15}, {12, 14}, {14, 16}, {11, 23}, {12, 24}, {23, 24}, {15, 17}, {15, 19}, {16, 18},
        {16, 20}
    };
    private static final int[][] HAND_BONES = {
        {0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 6}, {6, 7}, {7, 8}, {5, 9}, {9, 10}, {10, 11}, {11, 12}, {9, 13},
        {13, 14}, {14, 15}, {15, 16}, {13, 17}, {0, 17}, {17, 18}, {18, 19}, {19, 20}
    };

    private BodyOverlay() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        try (FaceAnalyzer faces = new FaceAnalyzer();
                BodyAnalyzer bodies = new BodyAnalyzer()) {
            for (int i = 1; i < args.length; i++) {
                Path file = Path.of(args[i]);
                try (Mat image = imread(file.toString())) {
                    List<Face> found = faces.analyze(image);
                    if (found.isEmpty()) {
                        System.out.println(file.getFileName() + ": no face");
                        continue;
                    }
                    long start = System.nanoTime();
                    Optional<Body> body = bodies.analyze(image, found.get(0));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    Mat drawn = image.clone();
                    int thick = Math.max(2, image.cols() / 300);
                    String summary = body.map(b -> describe(b, image)).orElse("no body");
                    System.out.printf(Locale.ROOT, "%s: %s (%d ms)%n", file.getFileName(), summary, ms);
                    body.ifPresent(b -> draw(drawn, b, thick));
                    putText(drawn, summary, new Point(5, 20), 0, 0.5, new Scalar(0, 255, 255, 0));
                    imwrite(
                            out.resolve(file.getFileName().toString().replaceAll("\\.[^.]+$", "") + "-body.jpg")
                                    .toString(),
                            drawn);
                    drawn.close();
                }
            }
        }
    }

    private static String describe(Body b, Mat image) {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "presence %.2f torso %s shoulders %.2f/%.2f wrists %.2f/%.2f hands",
                b.presence(),
                b.torsoVisible(image.cols(), image.rows()),
                b.visibility(Body.LEFT_SHOULDER),
                b.visibility(Body.RIGHT_SHOULDER),
                b.visibility(Body.LEFT_WRIST),
                b.visibility(Body.RIGHT_WRIST)));
        for (Body.Hand h : b.hands()) {
            int wrist = h.side() == Body.Side.LEFT ? Body.LEFT_WRIST : Body.RIGHT_WRIST;
            double reach = Math.hypot(h.landmarks()[0] - b.x(wrist), h.landmarks()[1] - b.y(wrist)) / b.shoulderWidth();
            s.append(String.format(
                    Locale.ROOT, " %s(%.2f, in %.2f, wrist %.2f)", h.side(), h.presence(), h.insideFraction(), reach));
        }
        return s.toString();
    }

    private static void draw(Mat image, Body b, int thick) {
        for (int[] bone : BONES) {
            boolean seen = b.visibility(bone[0]) >= 0.5f && b.visibility(bone[1]) >= 0.5f;
            line(
                    image,
                    point(b.x(bone[0]), b.y(bone[0])),
                    point(b.x(bone[1]), b.y(bone[1])),
                    seen ? new Scalar(0, 220, 0, 0) : new Scalar(0, 0, 220, 0),
                    thick,
                    LINE_AA,
                    0);
        }
        for (Body.Hand h : b.hands()) {
            Scalar color = h.side() == Body.Side.LEFT ? new Scalar(255, 120, 0, 0) : new Scalar(0, 140, 255, 0);
            float[] p = h.landmarks();
            for (int[] bone : HAND_BONES) {
                line(
                        image,
                        point(p[3 * bone[0]], p[3 * bone[0] + 1]),
                        point(p[3 * bone[1]], p[3 * bone[1] + 1]),
                        color,
                        Math.max(1, thick / 2),
                        LINE_AA,
                        0);
            }
            for (int k = 0; k < Body.Hand.LANDMARK_COUNT; k++) {
                circle(image, point(p[3 * k], p[3 * k + 1]), thick, color, FILLED, LINE_AA, 0);
            }
        }
    }

    private static Point point(float x, float y) {
        return new Point(Math.round(x), Math.round(y));
    }
}
