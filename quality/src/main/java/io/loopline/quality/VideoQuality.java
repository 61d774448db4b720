package io.loopline.quality;

import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Landmarks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link QualityMetrics} of a whole video, measured frame by frame as the video is assembled,
 * so that no more than two frames are ever held. Mouth openness is measured on every frame (lip-sync
 * and silent-lip figures need each one); identity, sharpness and the inside-segment motion that seams
 * are compared with are measured every {@code sampleInterval} frames — they change slowly, and
 * measuring them on every frame would cost more than encoding the video. Only the face's
 * surroundings are measured (the landmarks' box with a margin): every metric looks there, and the
 * frame-to-frame change that seam flicker compares is the face's.
 */
public final class VideoQuality {

    public static final String LIP_SYNC = "lip_sync";
    public static final String SILENT_LIP_RATIO = "silent_lip_ratio";
    public static final String IDENTITY_MEAN = "identity_mean";
    public static final String IDENTITY_MIN = "identity_min";
    public static final String FACE_SHARPNESS = "face_sharpness";
    public static final String SEAM_FLICKER = "seam_flicker";

    private final int frameWidth;
    private final int frameHeight;
    private final int cropX;
    private final int cropY;
    private final int width;
    private final int height;
    private final float[] reference;
    private final float[] landmarks;
    private final float[] loudnessDb;
    private final int sampleInterval;
    private final float[] openness;
    private float[] identity = new float[16];
    private float[] sharpness = new float[16];
    private int sampled;
    private float[] current;
    private float[] previous;
    private int previousIndex = -2;
    private double seamChange;
    private int seams;
    private double insideChange;
    private int insides;

    /**
     * @param reference  the reference image, RGB [3, height, width] in [-1, 1]
     * @param landmarks  its 468 face-mesh points (x, y, z) in pixels
     * @param audio16k   the request's audio, 16 kHz mono
     */
    public VideoQuality(
            int width,
            int height,
            int fps,
            int totalFrames,
            float[] reference,
            float[] landmarks,
            float[] audio16k,
            int sampleInterval) {
        float[] box = Landmarks.bounds(landmarks);
        float minX = box[0], minY = box[1], maxX = box[2], maxY = box[3];
        // Room for the identity search (±8 px) and the grown mouth box.
        float margin = Math.max(16f, 0.15f * Math.max(maxX - minX, maxY - minY));
        this.frameWidth = width;
        this.frameHeight = height;
        this.cropX = Math.max(0, (int) (minX - margin));
        this.cropY = Math.max(0, (int) (minY - margin));
        this.width = Math.min(width, (int) Math.ceil(maxX + margin)) - cropX;
        this.height = Math.min(height, (int) Math.ceil(maxY + margin)) - cropY;
        this.reference = crop(reference, width, height);
        this.landmarks = landmarks.clone();
        for (int i = 0; i < landmarks.length; i += 3) {
            this.landmarks[i] -= cropX;
            this.landmarks[i + 1] -= cropY;
        }
        this.loudnessDb = QualityMetrics.loudnessDb(audio16k, fps, totalFrames);
        this.sampleInterval = Math.max(1, sampleInterval);
        this.openness = new float[totalFrames];
        this.current = new float[3 * this.width * this.height];
        this.previous = new float[3 * this.width * this.height];
    }

    /** The crop of an image [3, fullHeight, fullWidth]. */
    private float[] crop(float[] image, int fullWidth, int fullHeight) {
        float[] out = new float[3 * width * height];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(
                        image, (c * fullHeight + cropY + y) * fullWidth + cropX, out, (c * height + y) * width, width);
            }
        }
        return out;
    }

    /** A buffer {@link #crop} fills: the face's surroundings of one frame. */
    public float[] newCropBuffer() {
        return new float[3 * width * height];
    }

    /**
     * Reads a frame (frames arrive in order): copies the face's surroundings of a stored I420
     * frame into {@code into} (from {@link #newCropBuffer}) as RGB, so that the frame's buffer can be
     * reused while {@link #measure} runs elsewhere.
     */
    public void crop(byte[] i420, int offset, float[] into) {
        FrameCodec.cropToRgb(i420, offset, frameHeight, frameWidth, cropX, cropY, width, height, into);
    }

    /**
     * Measures frame {@code index} from its {@link #crop}; frames must come
     * in order, one thread at a time. Keeps its own copy of what it needs of the crop.
     *
     * @param segmentStart whether a new segment begins at this frame (a seam)
     */
    public void measure(int index, float[] crop, boolean segmentStart) {
        openness[index] = QualityMetrics.mouthOpenness(crop, 1, height, width, reference, landmarks)[0];
        boolean sample = index % sampleInterval == 0;
        if (sample) {
            if (sampled == identity.length) {
                identity = Arrays.copyOf(identity, sampled * 2);
                sharpness = Arrays.copyOf(sharpness, sampled * 2);
            }
            identity[sampled] = QualityMetrics.upperFaceSimilarity(crop, 1, height, width, reference, landmarks)[0];
            sharpness[sampled] = QualityMetrics.faceSharpness(crop, 1, height, width, landmarks)[0];
            sampled++;
        }
        if (previousIndex == index - 1 && (segmentStart || sample)) {
            double change = meanAbsoluteDifference(crop, previous);
            if (segmentStart) {
                seamChange += change;
                seams++;
            } else {
                insideChange += change;
                insides++;
            }
        }
        if (crop != current) {
            System.arraycopy(crop, 0, current, 0, crop.length);
        }
        float[] swap = previous;
        previous = current;
        current = swap;
        previousIndex = index;
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /**
     * The figures by name (the keys of {@code videos.completed}'s quality map), and why each one left out
     * could not be measured on this video (a mouth that never moves has no lip-sync correlation; audio
     * without silence has no silent-lip ratio): such a figure is left out rather than given a value that
     * looks measured.
     */
    public record Figures(Map<String, Double> measured, Map<String, String> unmeasured) {}

    /** The video's {@link Figures}, each computed once. */
    public Figures figures() {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        float[] identities = Arrays.copyOf(identity, sampled);
        putMeasured(out, missing, LIP_SYNC, QualityMetrics.lipSync(openness, loudnessDb));
        putMeasured(out, missing, SILENT_LIP_RATIO, QualityMetrics.silentLips(openness, loudnessDb));
        out.put(IDENTITY_MEAN, round(QualityMetrics.mean(identities)));
        out.put(IDENTITY_MIN, round(QualityMetrics.min(identities)));
        out.put(FACE_SHARPNESS, round(QualityMetrics.mean(Arrays.copyOf(sharpness, sampled))));
        out.put(
                SEAM_FLICKER,
                round(
                        seams == 0 || insides == 0 || insideChange == 0
                                ? 1
                                : (seamChange / seams) / (insideChange / insides)));
        return new Figures(out, missing);
    }

    private static void putMeasured(
            Map<String, Double> out, Map<String, String> missing, String key, QualityMetrics.Measured m) {
        if (m.defined()) {
            out.put(key, round(m.value()));
        } else {
            missing.put(key, m.reason());
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
