package io.loopline.ingest.internals;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import io.loopline.tensor.Landmarks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds faces and fits MediaPipe's 468-point face mesh to them.
 *
 * <p>Detection runs MediaPipe BlazeFace, both the short-range (close-ups) and the full-range model,
 * through OpenCV DNN: unlike Haar cascades it finds painted, drawn, rendered and turned faces. Only
 * when BlazeFace finds nothing is a Haar cascade tried, and that fallback is logged. Every candidate
 * is then confirmed by the landmark model's face-presence score, which also rejects detector false
 * positives (animals, patterns). Not thread-safe: one analyzer per worker thread.
 */
public final class FaceAnalyzer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FaceAnalyzer.class);
    private static final String MODELS = "/io/loopline/models/";
    private static final String HAAR =
            "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";
    private static final int MESH_INPUT = 192;
    /** MediaPipe enlarges the detection box 1.5× for the landmark crop. */
    private static final float MESH_CROP_SCALE = 1.5f;

    private static final float MIN_PRESENCE = 0.5f;
    private static final int MAX_CANDIDATES = 4;
    /** A mesh presence logit the model is sure of (presence 0.993): upright faces score 10–27, doubtful fits under 5. */
    private static final float SURE_PRESENCE_LOGIT = 5f;
    /** Tiles searched for small faces, and how far apart they start (a quarter of a tile overlaps). */
    private static final int TILE = 640;

    private static final int TILE_STRIDE = 480;
    /** Images whose longer side is over this are searched in tiles when the whole image shows no face. */
    private static final int TILED_ABOVE = 960;

    private final BlazeDetector.Loaded shortRange;
    private final BlazeDetector.Loaded fullRange;
    private final Net mesh;
    private CascadeClassifier haar;

    public FaceAnalyzer() {
        this.shortRange = new BlazeDetector.Loaded(
                BlazeDetector.Variant.FACE_SHORT_RANGE,
                TfliteModels.load(BlazeDetector.Variant.FACE_SHORT_RANGE.modelFile));
        this.fullRange = new BlazeDetector.Loaded(
                BlazeDetector.Variant.FACE_FULL_RANGE,
                TfliteModels.load(BlazeDetector.Variant.FACE_FULL_RANGE.modelFile));
        this.mesh = TfliteModels.load("face_landmark.tflite");
    }

    /**
     * Confirmed faces, largest first: BlazeFace on the whole image; where it finds none in a large image, on
     * overlapping tiles of it (a small face in a big photo is a few pixels at the detector's input size); then
     * a Haar cascade.
     */
    public synchronized List<Face> analyze(Mat bgr) {
        List<Face> faces = new ArrayList<>();
        confirm(bgr, detect(bgr), "blazeface", faces);
        if (faces.isEmpty() && Math.max(bgr.cols(), bgr.rows()) > TILED_ABOVE) {
            confirm(bgr, detectInTiles(bgr), "blazeface-tiles", faces);
        }
        if (faces.isEmpty()) {
            for (BlazeDetector.Detection d : haarFallback(bgr)) {
                fitMesh(bgr, d, "haar-fallback").ifPresent(f -> {
                    log.warn(
                            "BlazeFace found no face; the Haar cascade fallback found one at {},{} {}x{}",
                            (int) f.x(),
                            (int) f.y(),
                            (int) f.width(),
                            (int) f.height());
                    faces.add(f);
                });
            }
        }
        faces.sort(Comparator.comparingDouble(Face::area).reversed());
        return faces;
    }

    /**
     * The face mesh fitted again where a face was a moment ago, without detecting it (MediaPipe's
     * tracking mode, for the frames of a video): the crop is the previous mesh's box, rotated by the
     * previous eye line. Empty when the landmark model sees no face there.
     *
     * @param previousLandmarks 468 × (x, y, z) in this image's pixels, e.g. the previous frame's
     */
    public synchronized Optional<Face> track(Mat bgr, float[] previousLandmarks) {
        float[] box = Landmarks.bounds(previousLandmarks);
        float minX = box[0], minY = box[1], maxX = box[2], maxY = box[3];
        // BlazeFace's keypoints 0 and 1 are the eye centres, the one on the image's left first: mesh points 33/133 and
        // 362/263.
        float[] keypoints = new float[12];
        keypoints[0] = (previousLandmarks[3 * 33] + previousLandmarks[3 * 133]) / 2;
        keypoints[1] = (previousLandmarks[3 * 33 + 1] + previousLandmarks[3 * 133 + 1]) / 2;
        keypoints[2] = (previousLandmarks[3 * 362] + previousLandmarks[3 * 263]) / 2;
        keypoints[3] = (previousLandmarks[3 * 362 + 1] + previousLandmarks[3 * 263 + 1]) / 2;
        BlazeDetector.Detection around = new BlazeDetector.Detection(
                (minX + maxX) / 2, (minY + maxY) / 2, maxX - minX, maxY - minY, 1f, keypoints);
        return fitMesh(bgr, around, "tracked");
    }

    /**
     * Fits the mesh to the best few detections, adding the faces it confirms. BlazeFace names the eye on the image's
     * left first whichever way a face is turned, and the mesh crop is levelled on that eye line, so each detection
     * is also fitted with its eyes swapped (the crop turned half a turn): an upside-down face fits better that way,
     * and then its eye line says how it is turned. The swapped fit is taken only when the model is sure of it: a
     * doubtful one (a yawn's open mouth read as eyes) never turns an upright face over.
     */
    private void confirm(Mat bgr, List<BlazeDetector.Detection> detections, String detector, List<Face> faces) {
        for (BlazeDetector.Detection d : detections.subList(0, Math.min(MAX_CANDIDATES, detections.size()))) {
            Optional<MeshFit> asNamed = fit(bgr, d, detector);
            Optional<MeshFit> swapped = fit(bgr, eyesSwapped(d), detector);
            if (swapped.isPresent()
                    && swapped.get().presenceLogit() > SURE_PRESENCE_LOGIT
                    && (asNamed.isEmpty()
                            || swapped.get().presenceLogit() > asNamed.get().presenceLogit())) {
                faces.add(swapped.get().face());
            } else {
                asNamed.ifPresent(f -> faces.add(f.face()));
            }
        }
    }

    private static BlazeDetector.Detection eyesSwapped(BlazeDetector.Detection d) {
        float[] kp = d.keypoints().clone();
        kp[0] = d.keypoints()[2];
        kp[1] = d.keypoints()[3];
        kp[2] = d.keypoints()[0];
        kp[3] = d.keypoints()[1];
        return new BlazeDetector.Detection(d.cx(), d.cy(), d.w(), d.h(), d.score(), kp);
    }

    /**
     * How far (0, 90, 180 or 270 degrees clockwise) the image must be turned for {@code face} to be upright: from
     * the line through its eyes' outer corners, which points along +x in an upright face.
     */
    public static int uprightTurn(Face face) {
        float[] right = face.landmark(33);
        float[] left = face.landmark(263);
        double angle = Math.toDegrees(Math.atan2(left[1] - right[1], left[0] - right[0]));
        return Math.floorMod(-(int) Math.round(angle / 90) * 90, 360);
    }

    /**
     * For an image where {@link #analyze} finds no face: how far (90, 180 or 270 degrees clockwise) it must be turned
     * for a face in it to be upright, when turning it lets BlazeFace find one; empty otherwise. For telling a user
     * why no face was found.
     */
    public synchronized Optional<Integer> turnedFace(Mat bgr) {
        int[] codes = {ROTATE_180, ROTATE_90_CLOCKWISE, ROTATE_90_COUNTERCLOCKWISE};
        int[] degrees = {180, 90, 270};
        for (int i = 0; i < codes.length; i++) {
            try (Mat turned = new Mat()) {
                rotate(bgr, turned, codes[i]);
                List<Face> faces = new ArrayList<>();
                confirm(turned, detect(turned), "turned", faces);
                // Only a face the model is sure of: a hint to turn the image must not rest on a doubtful fit.
                if (!faces.isEmpty() && faces.get(0).presence() > BlazeDetector.sigmoid(SURE_PRESENCE_LOGIT)) {
                    int turn = Math.floorMod(degrees[i] + uprightTurn(faces.get(0)), 360);
                    return turn == 0 ? Optional.empty() : Optional.of(turn);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * BlazeFace on overlapping {@value #TILE}-pixel tiles (each face up to a quarter tile lies whole in one), in
     * image pixels, merged and best first.
     */
    private List<BlazeDetector.Detection> detectInTiles(Mat bgr) {
        List<BlazeDetector.Detection> all = new ArrayList<>();
        for (int y = 0; y < bgr.rows(); y += TILE_STRIDE) {
            for (int x = 0; x < bgr.cols(); x += TILE_STRIDE) {
                int x0 = Math.max(0, Math.min(x, bgr.cols() - TILE));
                int y0 = Math.max(0, Math.min(y, bgr.rows() - TILE));
                try (Mat tile =
                        new Mat(bgr, new Rect(x0, y0, Math.min(TILE, bgr.cols()), Math.min(TILE, bgr.rows())))) {
                    for (BlazeDetector.Detection d : detect(tile)) {
                        all.add(BlazeDetector.scaled(d, 1, x0, y0));
                    }
                }
                if (x0 + TILE >= bgr.cols()) {
                    break;
                }
            }
            if (Math.max(0, Math.min(y, bgr.rows() - TILE)) + TILE >= bgr.rows()) {
                break;
            }
        }
        return BlazeDetector.weightedNms(all); // a face in the overlap of two tiles is found twice
    }

    /** BlazeFace detections (both ranges) in image pixels (keypoints too), best first. */
    private List<BlazeDetector.Detection> detect(Mat bgr) {
        return BlazeDetector.detect(bgr, shortRange, fullRange);
    }

    private List<BlazeDetector.Detection> haarFallback(Mat bgr) {
        if (haar == null) {
            try {
                haar = new CascadeClassifier(Loader.cacheResource(HAAR).getAbsolutePath());
            } catch (IOException e) {
                log.warn("Haar cascade unavailable: {}", e.toString());
                return List.of();
            }
        }
        List<BlazeDetector.Detection> result = new ArrayList<>();
        try (Mat gray = new Mat();
                RectVector found = new RectVector()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, gray);
            int min = Math.max(24, Math.min(bgr.cols(), bgr.rows()) / 20);
            haar.detectMultiScale(gray, found, 1.1, 4, 0, new Size(min, min), new Size());
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                // No keypoints: an upright face is assumed (eyes level).
                float cx = r.x() + r.width() / 2f;
                float cy = r.y() + r.height() / 2f;
                float[] kp = {
                    cx - r.width() * 0.2f,
                    cy - r.height() * 0.1f,
                    cx + r.width() * 0.2f,
                    cy - r.height() * 0.1f,
                    cx,
                    cy,
                    cx,
                    cy + r.height() * 0.25f,
                    cx,
                    cy,
                    cx,
                    cy
                };
                result.add(new BlazeDetector.Detection(cx, cy, r.width(), r.height(), 0.5f, kp));
            }
        }
        return result;
    }

    /** Fits the mesh in a square crop rotated so the eyes are level, as MediaPipe does. */
    /** A mesh fitted to a crop, with the model's presence score before its sigmoid (which saturates near 1). */
    private record MeshFit(Face face, float presenceLogit) {}

    private Optional<Face> fitMesh(Mat bgr, BlazeDetector.Detection d, String detector) {
        return fit(bgr, d, detector).map(MeshFit::face);
    }

    private Optional<MeshFit> fit(Mat bgr, BlazeDetector.Detection d, String detector) {
        float rightEyeX = d.keypoints()[0];
        float rightEyeY = d.keypoints()[1];
        float leftEyeX = d.keypoints()[2];
        float leftEyeY = d.keypoints()[3];
        double rollDegrees = Math.toDegrees(Math.atan2(leftEyeY - rightEyeY, leftEyeX - rightEyeX));
        float size = Math.max(d.w(), d.h()) * MESH_CROP_SCALE;
        float[] landmarks = new float[Face.LANDMARK_COUNT * 3];
        float presence;
        float presenceLogit;
        try (RotatedCrop crop = new RotatedCrop(bgr, d.cx(), d.cy(), size, rollDegrees, MESH_INPUT);
                Mat blob = crop.blob()) {
            float[][] outputs = TfliteModels.forward(mesh, blob);
            float[] points = outputs[0].length == Face.LANDMARK_COUNT * 3 ? outputs[0] : outputs[1];
            presenceLogit = (outputs[0].length == 1 ? outputs[0] : outputs[1])[0];
            presence = BlazeDetector.sigmoid(presenceLogit);
            if (presence < MIN_PRESENCE) {
                return Optional.empty();
            }
            crop.toImage(points, 3, landmarks, 3);
        }
        float[] box = Landmarks.bounds(landmarks);
        return Optional.of(new MeshFit(
                new Face(box[0], box[1], box[2] - box[0], box[3] - box[1], d.score(), presence, detector, landmarks),
                presenceLogit));
    }

    @Override
    public void close() {
        shortRange.net().close();
        fullRange.net().close();
        mesh.close();
        if (haar != null) {
            haar.close();
        }
    }
}
