package io.loopline.render;

import io.loopline.events.ObjectRef;
import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.ModelKind;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.Guidance;
import io.loopline.packstage.SegmentPlan;
import io.loopline.quality.QualityMetrics;
import io.loopline.render.internals.MotionHistoryReader;
import io.loopline.tensor.BenchmarkMachine;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Long-audio drift check: speech (a sentence repeated with pauses) rendered segment by segment at
 * 256×256 as render-service does — each segment stored as I420 frames, a pack with motion history fed
 * its past from the stored frames, chained — then the quality metrics per third of the video, and how
 * far the later thirds are from the first; with several packs, each one's thirds against the first
 * pack's. Arguments: the seconds of speech (default 60), then the packs (default {@code reference}).
 *
 * <pre>tools/bench.sh drift [SECONDS [PACK ...]]</pre>
 */
public final class DriftBenchmark {

    private static final int S = 256;

    private static final String[] NAMES = {
        "lip-sync", "silent-lips", "identity mean", "identity min", "sharpness", "seams"
    };

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<String> packs = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("reference");
        Path dir = Files.createTempDirectory("loopline-drift");
        float[] sentence = WavFilesAccess.read("/audio/sentence.wav");
        int pause = 16_000 * 7 / 10;
        float[] audio = new float[seconds * 16_000];
        for (int i = 0, p = 0; i < audio.length; i++, p++) {
            int cycle = sentence.length + pause;
            int at = p % cycle;
            audio[i] = at < sentence.length ? sentence[at] : 0f;
        }
        BufferedImage image = ImageIO.read(DriftBenchmark.class.getResource("/portrait/reference-256.png"));
        float[] reference = Images.toRgbMinusOneToOne(image);
        float[] landmarks;
        try (InputStream in = DriftBenchmark.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
        List<double[][]> all = new ArrayList<>();
        for (String pack : packs) {
            all.add(run(pack, seconds, audio, reference, landmarks, dir));
        }
        // Side by side: each pack's thirds against the first pack's, on the same audio and seed.
        for (int k = 1; k < packs.size(); k++) {
            StringBuilder line = new StringBuilder(
                    String.format(Locale.ROOT, "%s against %s, per third:", packs.get(k), packs.get(0)));
            for (int m = 0; m < NAMES.length; m++) {
                line.append(' ').append(NAMES[m]);
                for (int t = 0; t < 3; t++) {
                    line.append(' ').append(relative(all.get(k)[t][m], all.get(0)[t][m]));
                }
                line.append(';');
            }
            System.out.println(line);
        }
    }

    /** Renders the audio with one pack and prints, and returns, its figures per third: [third][figure]. */
    private static double[][] run(
            String packName, int seconds, float[] audio, float[] reference, float[] landmarks, Path dir)
            throws Exception {
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(2))) {
            ModelPack pack = new PackRegistry(null, dir, sessions).require(packName);
            PortraitGenerator generator = new PortraitGenerator(pack, sessions.environment());
            PortraitGenerator.Conditioning c = generator.condition(audio, 5);
            int frames = c.frames();
            SegmentPlan plan = SegmentPlan.of(frames, pack.manifest().clip());
            int clip = plan.clip().frames();
            boolean history = pack.hasInput(ModelKind.DENOISER, "motion_frames");
            System.out.printf(
                    Locale.ROOT,
                    "drift check: %d s of speech, %d frames at %dx%d, pack %s (%s), %d-frame segments overlapping %d%n",
                    seconds,
                    frames,
                    S,
                    S,
                    packName,
                    history
                            ? "chained, motion history "
                                    + pack.manifest().motionHistory().strides()
                            : "independent",
                    clip,
                    plan.clip().overlap());

            // Render every segment in order, storing its frames as render does; a history pack reads its past back.
            Map<ObjectRef, byte[]> stored = new HashMap<>();
            List<ObjectRef> rendered = new ArrayList<>();
            MotionHistoryReader past = new MotionHistoryReader(stored::get);
            long t0 = System.nanoTime();
            for (SegmentPlan.Segment s : plan.segments()) {
                float[][] pastFrames = history
                        ? past.read(
                                plan, s.index(), pack.manifest().motionHistory().strides(), rendered, S, S)
                        : null;
                byte[] encoded = generator
                        .renderBatch(
                                List.of(new PortraitGenerator.Segment(
                                        reference, landmarks, c, s.frameStart(), 5, pastFrames)),
                                S,
                                S,
                                clip,
                                2,
                                Guidance.NONE,
                                (k, f) -> FrameCodec.encode(f, clip, S, S, 1))
                        .get(0);
                ObjectRef ref = ObjectRef.newBuilder()
                        .setBucket("drift")
                        .setKey("segment-" + s.index())
                        .setSha256("0".repeat(64))
                        .setSize(encoded.length)
                        .build();
                stored.put(ref, encoded);
                rendered.add(ref);
            }
            double renderSeconds = (System.nanoTime() - t0) / 1e9;

            float[] loudness = QualityMetrics.loudnessDb(audio, 25, frames);
            System.out.println("  third  frames     lip-sync  silent-lips  upper-face(mean/min)  sharpness  seams");
            int third = (frames + 2) / 3;
            double[][] figures = new double[3][];
            for (int t = 0; t < 3; t++) {
                int from = t * third;
                int to = Math.min(frames, from + third);
                int count = to - from;
                float[] video = new float[3 * count * S * S];
                List<Integer> starts = new ArrayList<>();
                float[] one = new float[3 * S * S];
                for (SegmentPlan.Segment s : plan.segments()) {
                    if (s.frameStart() + clip <= from || s.frameStart() >= to) {
                        continue;
                    }
                    // Frames of an overlap come from the later segment (mux blends them).
                    Npy.ByteTensor i420 = FrameCodec.decode(stored.get(rendered.get(s.index())));
                    for (int f = Math.max(s.frameStart(), from); f < Math.min(s.frameStart() + clip, to); f++) {
                        FrameCodec.cropToRgb(
                                i420.data(), (f - s.frameStart()) * FrameCodec.frameBytes(S, S), S, S, 0, 0, S, S, one);
                        for (int ch = 0; ch < 3; ch++) {
                            System.arraycopy(one, ch * S * S, video, (ch * count + f - from) * S * S, S * S);
                        }
                    }
                    if (s.frameStart() >= from) {
                        starts.add(s.frameStart() - from);
                    }
                }
                float[] open = QualityMetrics.mouthOpenness(video, count, S, S, reference, landmarks);
                float[] loud = Arrays.copyOfRange(loudness, from, to);
                float[] identity = QualityMetrics.upperFaceSimilarity(video, count, S, S, reference, landmarks);
                float[] sharp = QualityMetrics.faceSharpness(video, count, S, S, landmarks);
                figures[t] = new double[] {
                    QualityMetrics.lipSyncProxy(open, loud),
                    QualityMetrics.silentLipRatio(open, loud),
                    QualityMetrics.mean(identity),
                    QualityMetrics.min(identity),
                    QualityMetrics.mean(sharp),
                    QualityMetrics.seamFlicker(
                            video,
                            count,
                            S,
                            S,
                            starts.stream().mapToInt(Integer::intValue).toArray())
                };
                System.out.printf(
                        Locale.ROOT,
                        "  %5d  %4d-%4d  %8.2f  %11.2f  %10.3f / %5.3f  %9.4f  %5.2f%n",
                        t + 1,
                        from,
                        to - 1,
                        figures[t][0],
                        figures[t][1],
                        figures[t][2],
                        figures[t][3],
                        figures[t][4],
                        figures[t][5]);
            }
            StringBuilder change = new StringBuilder("  change from the first third (2nd, 3rd):");
            for (int m = 0; m < NAMES.length; m++) {
                change.append(String.format(
                        Locale.ROOT,
                        " %s %s, %s;",
                        NAMES[m],
                        relative(figures[1][m], figures[0][m]),
                        relative(figures[2][m], figures[0][m])));
            }
            System.out.println(change);
            System.out.printf(
                    Locale.ROOT,
                    "  reference sharpness %.4f; rendered in %.0f s; machine: %s%n",
                    QualityMetrics.faceSharpness(reference.clone(), 1, S, S, landmarks)[0],
                    renderSeconds,
                    BenchmarkMachine.describe());
            return figures;
        }
    }

    private static String relative(double value, double first) {
        return first == 0 ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * (value - first) / Math.abs(first));
    }
}
