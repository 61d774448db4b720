package io.loopline.cli.quality;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.loopline.cli.internals.EmbeddedPipeline;
import io.loopline.client.RequestEvents;
import io.loopline.client.Submission;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.GenerationOptions;
import io.loopline.events.Mode;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.ingest.internals.AudioNormalizer;
import io.loopline.ingest.internals.FaceAnalyzer;
import io.loopline.model.reference.ReferencePack;
import io.loopline.quality.BodyQuality;
import io.loopline.quality.QualityMetrics;
import io.loopline.quality.VideoQuality;
import io.loopline.tensor.Images;
import io.loopline.tensor.Landmarks;
import io.loopline.tensor.Npy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.io.FileUtils;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * The quality benchmark: every portrait × every audio of a corpus through the embedded pipeline,
 * exactly as {@code loopline generate} makes a video (ingest's framing and audio normalisation, the
 * default pack, seed 0, mux's H.264), then measured on the MP4's frames with the face mesh run on
 * every frame: lip–loudness correlation, THEval's lip-sync figure, silent lips, mouth opening,
 * blinks, head motion, identity of the aligned upper face and seams (docs/quality.md says how each is
 * computed). Writes {@code results.tsv}, {@code results.md}, the videos and one contact sheet per case.
 *
 * <pre>tools/bench.sh quality [CORPUS_DIR [RESULTS_DIR]]</pre>
 *
 * The corpus folder holds {@code portraits/*.{jpg,png,webp}}, {@code audio/*.{wav,flac,mp3}} and
 * optionally {@code corpus.tsv} (kind, file, source, licence, traits) whose traits label the rows.
 * Audio is cut to its first {@code -Dquality.seconds} (12) seconds; {@code -Dquality.only=REGEX} runs
 * only the cases (portrait__audio) it matches; {@code -Dquality.inflight} (3) requests are in the
 * pipeline at once. Per-frame values go to {@code frames/CASE.tsv}.
 */
public final class QualityBenchmark {

    private static final String TENANT = "quality";
    /** The seed `loopline generate` uses when none is given. */
    private static final long SEED = 0;
    /** The rise of the eyes' change from the reference above its local level that makes a blink (see docs/quality.md). */
    private static final double BLINK_RISE = 0.1;

    /** A portrait or audio file of the corpus and what corpus.tsv says of it. */
    record Item(Path file, String traits) {
        String name() {
            String n = file.getFileName().toString();
            int dot = n.lastIndexOf('.');
            return dot > 0 ? n.substring(0, dot) : n;
        }

        /** A half body with a hand in view (trait half-body): asked for in HALF_BODY mode. */
        boolean halfBody() {
            return List.of(traits.split(",")).contains("half-body");
        }
    }

    /** A prepared audio track: the file submitted (cut to length), or why it could not be prepared. */
    record Audio(Item item, Path submitted, double seconds, String error) {}

    public static void main(String[] args) throws Exception {
        // The services log every request at INFO; the benchmark's own table is what matters here.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long started = System.nanoTime();
        Path root = Files.isDirectory(Path.of("examples")) ? Path.of("") : Path.of("..");
        Path corpus = root.resolve(args.length > 0 && !args[0].isBlank() ? args[0] : "target/quality-corpus")
                .toAbsolutePath()
                .normalize();
        Path results = root.resolve(args.length > 1 && !args[1].isBlank() ? args[1] : "target/quality")
                .toAbsolutePath()
                .normalize();
        double maxSeconds = Double.parseDouble(System.getProperty("quality.seconds", "12"));
        // A regular expression on case names (portrait__audio), to rerun a few cases.
        String only = System.getProperty("quality.only", ".*");
        int inFlightMax = Integer.getInteger("quality.inflight", 3);
        if (!Files.isDirectory(corpus.resolve("portraits")) || !Files.isDirectory(corpus.resolve("audio"))) {
            System.err.println("No corpus at " + corpus
                    + ": it needs portraits/ and audio/ folders (tools/quality-corpus.sh builds one).");
            System.exit(2);
        }
        Map<String, String> traits = traits(corpus.resolve("corpus.tsv"));
        List<Item> portraits = list(corpus.resolve("portraits"), traits, "jpg", "jpeg", "png", "webp");
        List<Item> audios = list(corpus.resolve("audio"), traits, "wav", "flac", "mp3", "ogg", "m4a");
        Files.createDirectories(results.resolve("videos"));
        Files.createDirectories(results.resolve("sheets"));
        Path work = Files.createTempDirectory("loopline-quality");
        List<Audio> prepared = new ArrayList<>();
        for (Item a : audios) {
            prepared.add(prepare(a, work.resolve("audio"), maxSeconds));
        }
        System.out.printf(
                Locale.ROOT,
                "quality benchmark: %d portraits × %d audio tracks (cut to %.0f s) from %s%n",
                portraits.size(),
                audios.size(),
                maxSeconds,
                corpus);
        List<Row> rows = new ArrayList<>();
        System.out.println(Row.consoleHeader());
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(work.resolve("streams"), Map.of());
                FaceAnalyzer faces = new FaceAnalyzer()) {
            // A few requests in flight: while one is measured or muxed, the next ones' ingest and rendering keep the
            // cores busy (one 12 s request at a time leaves them idle between stages for a third of its time).
            ArrayDeque<Pending> inFlight = new ArrayDeque<>();
            for (Item portrait : portraits) {
                for (Audio audio : prepared) {
                    if (!(portrait.name() + "__" + audio.item().name()).matches(only)) {
                        continue;
                    }
                    if (audio.error() != null) {
                        report(rows, Row.failed(portrait, audio, audio.error(), 0), results);
                        continue;
                    }
                    while (inFlight.size() >= inFlightMax) {
                        report(rows, complete(pipeline.clientConfig(), faces, inFlight.poll(), results), results);
                    }
                    inFlight.add(submit(pipeline.clientConfig(), portrait, audio));
                }
            }
            while (!inFlight.isEmpty()) {
                report(rows, complete(pipeline.clientConfig(), faces, inFlight.poll(), results), results);
            }
        } finally {
            FileUtils.deleteQuietly(work.toFile());
        }
        double wall = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%d cases in %.0f s (%.1f min) wall, %d cores; results in %s%n",
                rows.size(),
                wall,
                wall / 60,
                Runtime.getRuntime().availableProcessors(),
                results);
        System.exit(0); // the embedded pipeline's non-daemon threads are gone, but exec:java waits for stragglers
    }

    /** corpus.tsv: file name → traits (the file column may hold a path; its last part is the key). */
    static Map<String, String> traits(Path tsv) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(tsv)) {
            return out;
        }
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return out;
        }
        // tools/quality-corpus.sh writes no header: kind, file, source, licence, traits. A header line may name them.
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        boolean named = header.contains("file") && header.contains("traits");
        int file = named ? header.indexOf("file") : 1;
        int trait = named ? header.indexOf("traits") : 4;
        for (String line : lines.subList(named ? 1 : 0, lines.size())) {
            String[] cols = line.split("\t", -1);
            if (cols.length > Math.max(file, trait)) {
                out.put(Path.of(cols[file]).getFileName().toString(), cols[trait]);
            }
        }
        return out;
    }

    private static List<Item> list(Path dir, Map<String, String> traits, String... extensions) throws IOException {
        Set<String> ext = Set.of(extensions);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return ext.contains(n.substring(n.lastIndexOf('.') + 1));
                    })
                    .sorted()
                    .map(p -> new Item(p, traits.getOrDefault(p.getFileName().toString(), "")))
                    .toList();
        }
    }

    /** Decodes the track as ingest does (16 kHz mono) and writes its first {@code maxSeconds} as a 16-bit WAV. */
    private static Audio prepare(Item audio, Path dir, double maxSeconds) throws IOException {
        Files.createDirectories(dir);
        Path npy = dir.resolve(audio.name() + ".npy");
        try {
            AudioNormalizer.normalize(audio.file(), npy, new AudioNormalizer.Limits(1, 4 * 3_600_000L));
        } catch (RequestRejectedException e) {
            return new Audio(audio, null, 0, e.code().name());
        }
        float[] samples;
        try (InputStream in = Files.newInputStream(npy)) {
            samples = Npy.read(in).data();
        }
        int n = (int) Math.min(samples.length, Math.round(maxSeconds * AudioNormalizer.SAMPLE_RATE));
        Path wav = dir.resolve(audio.name() + ".wav");
        writeWav(Arrays.copyOf(samples, n), wav);
        return new Audio(audio, wav, n / (double) AudioNormalizer.SAMPLE_RATE, null);
    }

    private static void writeWav(float[] samples, Path target) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(36 + 2 * samples.length)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(AudioNormalizer.SAMPLE_RATE)
                .putInt(2 * AudioNormalizer.SAMPLE_RATE)
                .putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (float s : samples) {
            b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, s)) * 32767));
        }
        Files.write(target, b.array());
    }

    /** A submitted case. */
    private record Pending(Item portrait, Audio audio, String id, long submittedNanos) {}

    private static Pending submit(LooplineConfig client, Item portrait, Audio audio) throws Exception {
        String id = Submission.newRequestId();
        long t0 = System.nanoTime();
        Submission.submit(
                client,
                TENANT,
                id,
                portrait.file(),
                audio.submitted(),
                GenerationOptions.newBuilder()
                        .setMode(portrait.halfBody() ? Mode.HALF_BODY : Mode.PORTRAIT)
                        .setSeed(SEED)
                        .build());
        return new Pending(portrait, audio, id, t0);
    }

    private static void report(List<Row> rows, Row row, Path results) throws IOException {
        rows.add(row);
        System.out.println(row.console());
        // Written after every case: a long run interrupted still leaves its figures.
        write(rows, results);
    }

    /** One case's end: waits for its video, then measures it. */
    private static Row complete(LooplineConfig client, FaceAnalyzer faces, Pending p, Path results) throws Exception {
        Item portrait = p.portrait();
        Audio audio = p.audio();
        String id = p.id();
        RequestEvents.Snapshot s;
        try (RequestEvents events = new RequestEvents(client, id)) {
            s = events.untilFinished(Duration.ofMillis(100), Duration.ofMinutes(15), snapshot -> {});
        }
        double renderSeconds = (System.nanoTime() - p.submittedNanos()) / 1e9;
        if (s.failed().isPresent()) {
            return Row.failed(portrait, audio, s.failed().get().getErrorCode(), renderSeconds);
        }
        if (s.completed().isEmpty()) {
            return Row.failed(portrait, audio, "TIMEOUT", renderSeconds);
        }
        VideoCompleted done = s.completed().get();
        ObjectStore store = new ObjectStore(client.storageSettings());
        String caseName = portrait.name() + "__" + audio.item().name();
        Path video = results.resolve("videos").resolve(caseName + ".mp4");
        Files.deleteIfExists(video);
        store.download(done.getVideo(), video);
        byte[] png = ingestOutput(store, id, ObjectKeys.REFERENCE_IMAGE);
        float[] ingestLandmarks = Npy.read(new ByteArrayInputStream(ingestOutput(store, id, ObjectKeys.LANDMARKS)))
                .data();
        float[] audio16k = Npy.read(new ByteArrayInputStream(ingestOutput(store, id, ObjectKeys.NORMALIZED_AUDIO)))
                .data();
        return measure(
                faces, portrait, audio, caseName, done, video, png, ingestLandmarks, audio16k, renderSeconds, results);
    }

    private static byte[] ingestOutput(ObjectStore store, String id, String name) throws Exception {
        try (InputStream in =
                store.openUnverified(store.workBucket(), ObjectKeys.derived(TENANT, id, Stage.INGEST, name))) {
            return in.readAllBytes();
        }
    }

    private static Row measure(
            FaceAnalyzer faces,
            Item portrait,
            Audio audio,
            String caseName,
            VideoCompleted done,
            Path video,
            byte[] png,
            float[] ingestLandmarks,
            float[] audio16k,
            double renderSeconds,
            Path results)
            throws Exception {
        long t0 = System.nanoTime();
        int frames = done.getFrameCount();
        int fps = done.getFps();
        float[] loudness = QualityMetrics.loudnessDb(audio16k, fps, frames);
        boolean[] speech = QualityMetrics.speech(loudness);
        boolean[] silence = LandmarkFigures.silence(loudness, fps);
        try (BytePointer bytes = new BytePointer(png);
                Mat buffer = new Mat(1, png.length, CV_8UC1, bytes);
                Mat reference = imdecode(buffer, IMREAD_COLOR);
                Mat referenceGray = new Mat()) {
            // The reference's mesh as the benchmark's own tracker sees it on the framed 512² image, so that rest-pose
            // figures (the lip gap at rest) compare like with like.
            float[] referenceLandmarks = faces.track(reference, ingestLandmarks)
                    .map(f -> f.landmarks())
                    .orElse(ingestLandmarks);
            cvtColor(reference, referenceGray, COLOR_BGR2GRAY);
            float[] referenceUpperFace = VideoAnalysis.alignedUpperFace(referenceGray, referenceLandmarks);
            List<Integer> shown = sheetFrames(loudness, speech, silence, fps);
            // The reference exactly as mux reads it (PNG through ImageIO), for mux's own mouth signal.
            float[] referenceRgb = Images.toRgbMinusOneToOne(ImageIO.read(new ByteArrayInputStream(png)));
            VideoAnalysis a;
            try (LipTracker lips = new LipTracker(referenceGray, referenceLandmarks)) {
                a = VideoAnalysis.of(
                        video,
                        frames,
                        faces,
                        referenceLandmarks,
                        referenceUpperFace,
                        faceBox(ingestLandmarks, reference.cols(), reference.rows()),
                        new TreeSet<>(shown),
                        referenceRgb,
                        ingestLandmarks,
                        lips);
            }
            try {
                Row row = Row.measured(
                        portrait,
                        audio,
                        done,
                        a,
                        referenceLandmarks,
                        loudness,
                        speech,
                        silence,
                        audio16k,
                        fps,
                        renderSeconds,
                        (System.nanoTime() - t0) / 1e9);
                List<ContactSheet.Tile> tiles = new ArrayList<>();
                tiles.add(new ContactSheet.Tile(
                        reference,
                        referenceLandmarks,
                        "reference",
                        String.format(Locale.ROOT, "lip gap %.3f (rest)", LandmarkFigures.lipGap(referenceLandmarks))));
                for (int f : shown) {
                    Mat m = a.kept.get(f);
                    if (m == null) {
                        continue;
                    }
                    float[] lm = a.landmarks[f];
                    tiles.add(new ContactSheet.Tile(
                            m,
                            lm,
                            String.format(Locale.ROOT, "%.2f s %s", f / (double) fps, speech[f] ? "speech" : "silence"),
                            lm == null
                                    ? "no face found"
                                    : String.format(
                                            Locale.ROOT,
                                            "lip gap %.3f ssim %.2f",
                                            a.trackedLipGap[f],
                                            a.upperFaceSsim[f])));
                }
                ContactSheet.write(results.resolve("sheets").resolve(caseName + ".png"), tiles);
                writeSeries(results.resolve("frames").resolve(caseName + ".tsv"), a, loudness, speech, silence, fps);
                return row;
            } finally {
                a.close();
            }
        }
    }

    /** The per-frame values behind a case's figures, for a closer look (a plot, a frame to check). */
    private static void writeSeries(
            Path target, VideoAnalysis a, float[] loudness, boolean[] speech, boolean[] silence, int fps)
            throws IOException {
        Files.createDirectories(target.getParent());
        StringBuilder out = new StringBuilder(
                "frame\ttime_s\tloudness_db\taudio\tmesh_lip_gap\ttheval_openness\teye_aspect_ratio\tnose_x\tnose_y\troll_deg"
                        + "\tupper_face_ssim\tface_change\tmouth_change\teye_change\ttracked_lip_gap\n");
        for (int f = 0; f < a.landmarks.length; f++) {
            float[] lm = a.landmarks[f];
            out.append(f)
                    .append('\t')
                    .append(String.format(
                            Locale.ROOT,
                            "%.2f\t%.1f\t%s",
                            f / (double) fps,
                            loudness[f],
                            speech[f] ? "speech" : silence[f] ? "silence" : "pause"));
            if (lm == null) {
                out.append("\tNaN\tNaN\tNaN\tNaN\tNaN\tNaN");
            } else {
                out.append(String.format(
                        Locale.ROOT,
                        "\t%.4f\t%.4f\t%.4f\t%.1f\t%.1f\t%.2f",
                        LandmarkFigures.lipGap(lm),
                        LandmarkFigures.thevalOpenness(lm),
                        LandmarkFigures.eyeAspectRatio(lm),
                        LandmarkFigures.x(lm, LandmarkFigures.NOSE_TIP),
                        LandmarkFigures.y(lm, LandmarkFigures.NOSE_TIP),
                        LandmarkFigures.rollDegrees(lm)));
            }
            out.append(String.format(
                    Locale.ROOT,
                    "\t%.4f\t%.3f\t%.4f\t%.4f\t%.4f%n",
                    a.upperFaceSsim[f],
                    a.faceChange[f],
                    a.mouthChange[f],
                    a.eyeChange[f],
                    a.trackedLipGap[f]));
        }
        Files.writeString(target, out.toString());
    }

    /** The landmarks' box with a tenth of its size around it, inside the image: where the face-change figure looks. */
    private static Rect faceBox(float[] landmarks, int width, int height) {
        float[] b = Landmarks.bounds(landmarks);
        float margin = 0.1f * Math.max(b[2] - b[0], b[3] - b[1]);
        int x0 = Math.max(0, (int) (b[0] - margin));
        int y0 = Math.max(0, (int) (b[1] - margin));
        int x1 = Math.min(width, (int) Math.ceil(b[2] + margin));
        int y1 = Math.min(height, (int) Math.ceil(b[3] + margin));
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /**
     * Up to 8 frames for the contact sheet, in time order: the loudest speech frame of each quarter of
     * the clip, and the middles of up to four silences (the longest first) — a mouth that rests shows
     * there, and one that keeps moving too.
     */
    static List<Integer> sheetFrames(float[] loudness, boolean[] speech, boolean[] silence, int fps) {
        int n = loudness.length;
        TreeSet<Integer> chosen = new TreeSet<>();
        for (int q = 0; q < 4; q++) {
            int best = -1;
            for (int f = q * n / 4; f < (q + 1) * n / 4; f++) {
                if (speech[f] && (best < 0 || loudness[f] > loudness[best])) {
                    best = f;
                }
            }
            if (best >= 0) {
                chosen.add(best);
            }
        }
        List<int[]> runs = new ArrayList<>();
        for (int f = 0; f < n; ) {
            if (!silence[f]) {
                f++;
                continue;
            }
            int end = f;
            while (end < n && silence[end]) {
                end++;
            }
            runs.add(new int[] {f, end});
            f = end;
        }
        runs.sort((x, y) -> Integer.compare(y[1] - y[0], x[1] - x[0]));
        for (int[] r : runs.subList(0, Math.min(4, runs.size()))) {
            chosen.add((r[0] + r[1]) / 2);
        }
        // Few silences: a second frame late in the longest one (a mouth that drifts open shows there).
        if (runs.size() < 4 && !runs.isEmpty()) {
            int[] longest = runs.get(0);
            chosen.add(longest[0] + (longest[1] - longest[0]) * 7 / 8);
        }
        return new ArrayList<>(chosen);
    }

    /** One case's figures, or its error. */
    record Row(
            String caseName,
            String portraitTraits,
            String audioName,
            double seconds,
            String status,
            Map<String, Double> figures,
            List<String> notes) {

        /** Column keys, in order, with the number format each is written in. */
        static final Map<String, String> COLUMNS = new LinkedHashMap<>();

        static {
            COLUMNS.put("frames", "%.0f");
            COLUMNS.put("face_found", "%.3f");
            COLUMNS.put("lip_r", "%.3f");
            COLUMNS.put("lip_lag", "%+.0f");
            COLUMNS.put("lip_r_mesh", "%.3f");
            COLUMNS.put("theval_sync", "%.3f");
            COLUMNS.put("silent_lip_ratio", "%.3f");
            COLUMNS.put("theval_silent_mad", "%.4f");
            COLUMNS.put("gap_speech_p50", "%.3f");
            COLUMNS.put("gap_speech_p95", "%.3f");
            COLUMNS.put("gap_silence_p50", "%.3f");
            COLUMNS.put("gap_silence_p95", "%.3f");
            COLUMNS.put("gap_rest", "%.3f");
            COLUMNS.put("blinks_per_min", "%.1f");
            COLUMNS.put("blinks_mesh_per_min", "%.1f");
            COLUMNS.put("head_pos_std", "%.3f");
            COLUMNS.put("roll_std_deg", "%.2f");
            COLUMNS.put("identity_ssim_mean", "%.3f");
            COLUMNS.put("identity_ssim_p05", "%.3f");
            COLUMNS.put("seam_ratio", "%.2f");
            COLUMNS.put("mux_lip_sync", "%.3f");
            COLUMNS.put("mux_silent_lip_ratio", "%.3f");
            COLUMNS.put("hand_clarity", "%.3f");
            COLUMNS.put("background_change", "%.4f");
            COLUMNS.put("hand_motion", "%.3f");
            COLUMNS.put("hand_onset_r", "%.2f");
            COLUMNS.put("mouth_change_std_speech", "%.4f");
            COLUMNS.put("mouth_change_std_silence", "%.4f");
            COLUMNS.put("latency_s", "%.1f");
            COLUMNS.put("measure_s", "%.1f");
        }

        static Row failed(Item portrait, Audio audio, String code, double renderSeconds) {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("latency_s", renderSeconds);
            return new Row(
                    portrait.name() + "__" + audio.item().name(),
                    portrait.traits(),
                    audio.item().name(),
                    audio.seconds(),
                    code,
                    f,
                    List.of());
        }

        static Row measured(
                Item portrait,
                Audio audio,
                VideoCompleted done,
                VideoAnalysis a,
                float[] referenceLandmarks,
                float[] loudness,
                boolean[] speech,
                boolean[] silence,
                float[] audio16k,
                int fps,
                double renderSeconds,
                double measureSeconds) {
            int frames = a.landmarks.length;
            List<String> notes = new ArrayList<>();
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("frames", (double) frames);
            long found = Arrays.stream(a.landmarks).filter(x -> x != null).count();
            f.put("face_found", found / (double) frames);
            // The lips followed by optical flow from the reference (LipTracker) give the lip figures: where the mesh
            // fits the lips the two gaps agree (r 0.90–0.97 frame by frame), and the flow also follows lips the mesh
            // cannot fit (an engraving's hatching, lips under a moustache). The mesh's own correlation is kept beside
            // it.
            float[] gap = a.trackedLipGap;
            QualityMetrics.Measured sync = QualityMetrics.lipSync(
                    gap, loudness, QualityMetrics.MAX_LAG_FRAMES, LandmarkFigures.STILL_LIP_GAP_STD);
            f.put("lip_r", sync.value());
            f.put("lip_lag", sync.defined() ? (double) sync.lagFrames() : Double.NaN);
            if (!sync.defined()) {
                notes.add("lip_r: " + sync.reason());
            }
            float[] meshGap = LandmarkFigures.series(a.landmarks, LandmarkFigures::lipGap);
            f.put(
                    "lip_r_mesh",
                    QualityMetrics.lipSync(
                                    meshGap, loudness, QualityMetrics.MAX_LAG_FRAMES, LandmarkFigures.STILL_LIP_GAP_STD)
                            .value());
            f.put(
                    "theval_sync",
                    LandmarkFigures.thevalLipSync(
                            LandmarkFigures.series(a.landmarks, LandmarkFigures::thevalOpenness),
                            audio16k,
                            loudness,
                            fps));
            double restGap = LandmarkFigures.lipGap(referenceLandmarks);
            f.put("silent_lip_ratio", LandmarkFigures.silentLipRatio(gap, restGap, speech, silence));
            f.put("theval_silent_mad", LandmarkFigures.thevalSilentLipStability(a.landmarks, silence));
            double[] spoken = LandmarkFigures.where(gap, speech);
            double[] silent = LandmarkFigures.where(gap, silence);
            f.put("gap_speech_p50", LandmarkFigures.quantile(spoken, 0.5));
            f.put("gap_speech_p95", LandmarkFigures.quantile(spoken, 0.95));
            f.put("gap_silence_p50", LandmarkFigures.quantile(silent, 0.5));
            f.put("gap_silence_p95", LandmarkFigures.quantile(silent, 0.95));
            f.put("gap_rest", restGap);
            if (silent.length == 0) {
                notes.add("no silence of 0.3 s or more in the audio");
            }
            float[] ear = LandmarkFigures.series(a.landmarks, LandmarkFigures::eyeAspectRatio);
            // The 468-point mesh follows a closing lid only part of the way (its eye aspect ratio falls to about 0.8 of
            // the usual on frames where the lids visibly cover the eyes), so blinks are counted from the pixels.
            f.put(
                    "blinks_per_min",
                    LandmarkFigures.blinkPeaks(a.eyeChange, ear, fps, BLINK_RISE) / (frames / (double) fps / 60));
            f.put("blinks_mesh_per_min", LandmarkFigures.blinks(ear) / (frames / (double) fps / 60));
            double eyes = LandmarkFigures.eyeDistance(referenceLandmarks);
            double[] noseX = LandmarkFigures.where(
                    LandmarkFigures.series(a.landmarks, lm -> LandmarkFigures.x(lm, LandmarkFigures.NOSE_TIP)),
                    LandmarkFigures.allTrue(frames));
            double[] noseY = LandmarkFigures.where(
                    LandmarkFigures.series(a.landmarks, lm -> LandmarkFigures.y(lm, LandmarkFigures.NOSE_TIP)),
                    LandmarkFigures.allTrue(frames));
            f.put("head_pos_std", Math.hypot(LandmarkFigures.std(noseX), LandmarkFigures.std(noseY)) / eyes);
            f.put(
                    "roll_std_deg",
                    LandmarkFigures.std(LandmarkFigures.where(
                            LandmarkFigures.series(a.landmarks, LandmarkFigures::rollDegrees),
                            LandmarkFigures.allTrue(frames))));
            double[] ssim = LandmarkFigures.where(a.upperFaceSsim, LandmarkFigures.allTrue(frames));
            f.put("identity_ssim_mean", LandmarkFigures.mean(ssim));
            f.put("identity_ssim_p05", LandmarkFigures.quantile(ssim, 0.05));
            f.put("seam_ratio", seamRatio(a.faceChange));
            f.put("mux_lip_sync", done.getQuality().getOrDefault(VideoQuality.LIP_SYNC, Double.NaN));
            f.put("mux_silent_lip_ratio", done.getQuality().getOrDefault(VideoQuality.SILENT_LIP_RATIO, Double.NaN));
            // Half body: mux's Hand Clarity Score and background change (absent for portraits).
            f.put("hand_clarity", done.getQuality().getOrDefault(BodyQuality.HAND_CLARITY, Double.NaN));
            f.put("background_change", done.getQuality().getOrDefault(BodyQuality.BACKGROUND_CHANGE, Double.NaN));
            f.put("hand_motion", done.getQuality().getOrDefault(BodyQuality.HAND_MOTION, Double.NaN));
            f.put("hand_onset_r", done.getQuality().getOrDefault(BodyQuality.HAND_ONSET_CORRELATION, Double.NaN));
            // How much mux's mouth signal varies in speech and in silence: what its still-mouth threshold is judged by.
            f.put("mouth_change_std_speech", LandmarkFigures.std(LandmarkFigures.where(a.mouthChange, speech)));
            f.put("mouth_change_std_silence", LandmarkFigures.std(LandmarkFigures.where(a.mouthChange, silence)));
            f.put("latency_s", renderSeconds);
            f.put("measure_s", measureSeconds);
            if (a.redetected > 0) {
                notes.add("tracking lost the face on " + a.redetected + " frames (detected afresh)");
            }
            return new Row(
                    portrait.name() + "__" + audio.item().name(),
                    portrait.traits(),
                    audio.item().name(),
                    audio.seconds(),
                    "ok",
                    f,
                    notes);
        }

        /**
         * Mean face change entering the frames where a new segment takes over (its first frame, or the
         * frames of its cross-faded overlap and the one after) over the mean change entering every
         * other frame: about 1 when seams do not show.
         */
        static double seamRatio(float[] faceChange) {
            var clip = ReferencePack.manifest().clip();
            int stride = clip.stride();
            boolean[] seam = new boolean[faceChange.length];
            for (int start = stride; start < seam.length; start += stride) {
                for (int f = start; f <= start + clip.overlap() && f < seam.length; f++) {
                    seam[f] = true;
                }
            }
            boolean[] inside = new boolean[seam.length];
            for (int f = 1; f < seam.length; f++) {
                inside[f] = !seam[f];
            }
            return LandmarkFigures.mean(LandmarkFigures.where(faceChange, seam))
                    / LandmarkFigures.mean(LandmarkFigures.where(faceChange, inside));
        }

        String value(String key) {
            Double v = figures.get(key);
            return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, COLUMNS.get(key), v);
        }

        static String consoleHeader() {
            return String.format(
                    Locale.ROOT,
                    "%-44s %-8s %7s %4s %7s %7s %7s %7s %7s %6s %6s %6s %6s %6s %6s",
                    "case",
                    "status",
                    "lip_r",
                    "lag",
                    "theval",
                    "silent",
                    "gapSp95",
                    "gapSi95",
                    "blinks",
                    "headσ",
                    "rollσ",
                    "ssim",
                    "seam",
                    "mux_ls",
                    "secs");
        }

        String console() {
            return String.format(
                    Locale.ROOT,
                    "%-44s %-8s %7s %4s %7s %7s %7s %7s %7s %6s %6s %6s %6s %6s %6s",
                    caseName,
                    status,
                    value("lip_r"),
                    value("lip_lag"),
                    value("theval_sync"),
                    value("silent_lip_ratio"),
                    value("gap_speech_p95"),
                    value("gap_silence_p95"),
                    value("blinks_per_min"),
                    value("head_pos_std"),
                    value("roll_std_deg"),
                    value("identity_ssim_mean"),
                    value("seam_ratio"),
                    value("mux_lip_sync"),
                    String.format(
                            Locale.ROOT,
                            "%.0f+%.0f",
                            figures.getOrDefault("latency_s", 0.0),
                            figures.getOrDefault("measure_s", 0.0)));
        }
    }

    private static void write(List<Row> rows, Path results) throws IOException {
        StringBuilder tsv = new StringBuilder("case\ttraits\taudio\taudio_s\tstatus");
        for (String k : Row.COLUMNS.keySet()) {
            tsv.append('\t').append(k);
        }
        tsv.append("\tnotes\n");
        for (Row r : rows) {
            tsv.append(r.caseName())
                    .append('\t')
                    .append(r.portraitTraits())
                    .append('\t')
                    .append(r.audioName())
                    .append('\t')
                    .append(String.format(Locale.ROOT, "%.2f", r.seconds()))
                    .append('\t')
                    .append(r.status());
            for (String k : Row.COLUMNS.keySet()) {
                tsv.append('\t').append(r.value(k));
            }
            tsv.append('\t').append(String.join("; ", r.notes())).append('\n');
        }
        Files.writeString(results.resolve("results.tsv"), tsv.toString());

        StringBuilder md = new StringBuilder();
        md.append(
                "| case | traits | status | lip r (lag) | THEval sync ↓ | silent-lip ↓ | gap speech p50 / p95 | gap silence p50 / p95 | gap rest "
                        + "| blinks / min | head pos σ / roll σ° | identity SSIM mean / p05 | seam | mux lip_sync |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ")
                    .append(r.caseName().replace("__", " × "))
                    .append(" | ")
                    .append(r.portraitTraits())
                    .append(" | ")
                    .append(r.status())
                    .append(" | ")
                    .append(r.value("lip_r"))
                    .append(
                            r.figures().containsKey("lip_lag")
                                            && !r.value("lip_lag").equals("n/a")
                                    ? " (" + r.value("lip_lag") + ")"
                                    : "")
                    .append(" | ")
                    .append(r.value("theval_sync"))
                    .append(" | ")
                    .append(r.value("silent_lip_ratio"))
                    .append(" | ")
                    .append(r.value("gap_speech_p50"))
                    .append(" / ")
                    .append(r.value("gap_speech_p95"))
                    .append(" | ")
                    .append(r.value("gap_silence_p50"))
                    .append(" / ")
                    .append(r.value("gap_silence_p95"))
                    .append(" | ")
                    .append(r.value("gap_rest"))
                    .append(" | ")
                    .append(r.value("blinks_per_min"))
                    .append(" | ")
                    .append(r.value("head_pos_std"))
                    .append(" / ")
                    .append(r.value("roll_std_deg"))
                    .append(" | ")
                    .append(r.value("identity_ssim_mean"))
                    .append(" / ")
                    .append(r.value("identity_ssim_p05"))
                    .append(" | ")
                    .append(r.value("seam_ratio"))
                    .append(" | ")
                    .append(r.value("mux_lip_sync"))
                    .append(" |\n");
        }
        Files.writeString(results.resolve("results.md"), md.toString());
    }
}
