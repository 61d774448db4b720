package io.loopline.model.reference;

import io.loopline.model.audio.Pitch;
import io.loopline.model.audio.Visemes;
import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import java.util.Arrays;
import java.util.List;

/**
 * The reference pack's audio-to-latents model: audio features, viseme probabilities, pitch and
 * seeded noise → the {@link Motion} channels per frame, over the whole audio at once.
 * <ul>
 *   <li>Mouth: the jaw opens with the frame's energy over the audio's noise floor (60%) and with each
 *       viseme's jaw (40%); width and rounding come from the visemes (rounded on O/U, wide on aa/E), each
 *       weighted by its probability; gated by the energy over the noise floor so the mouth closes in
 *       silence and in a recording's background noise, smoothed over three frames (coarticulation).
 *       Lips press together on bilabials heard as quiet and in pauses.</li>
 *   <li>Brows: spectral-flux emphasis in speech, intonation peaks (voiced pitch more than 0.15 octave
 *       above the voice's pitch over the surrounding two seconds), and loud non-speech sounds (breaths,
 *       sighs, laughter: energy without a phoneme), which also lift the breathing.</li>
 *   <li>Blinks: seeded intervals of 1.8–6 s (about 15 a minute), each a 6-frame close-open curve.</li>
 *   <li>Head: slow seeded wander (Gaussian-filtered noise) plus a nod on emphasis.</li>
 *   <li>Breathing: a 4.2 s cycle with a seeded phase, and an inhale over the 0.4 s before speech resumes
 *       after a pause.</li>
 *   <li>Gaze: saccades to a new seeded target about every 1.6 s, held in between.</li>
 * </ul>
 * Noise layout [frames, 6]: column 0 uniform in [0, 1) (saccades at its high end; row 0 also sets the
 * breathing phase), columns 1–5 standard normal (head pitch, yaw, roll; gaze targets; blink intervals).
 */
final class A2LGraph {

    static final int NOISE = 6;
    private static final float SACCADE_PROBABILITY_PER_FRAME = 0.025f;
    private static final int PP = 5;
    /** Blended jaw values below this are the lips between syllables: they close. */
    private static final float JAW_FLOOR = 0.06f;

    private static final int FF = 9;
    /** Frames (about 0.44 s at 25 fps) over which the quietest stretch of the audio is its noise floor. */
    private static final int FLOOR_WINDOW = 11;
    /** Share of the jaw opening that follows the loudness over the noise floor; the rest follows the visemes. */
    private static final float LOUDNESS_SHARE = 0.6f;
    /** Octaves above the voice's pitch over the surrounding two seconds from which intonation lifts the brows (about 2 semitones). */
    private static final float PITCH_PEAK = 0.15f;
    /** Brow raise per octave of pitch above {@link #PITCH_PEAK}, and at most: a singer's leaps should not widen the eyes in alarm. */
    private static final float PITCH_BROW = 2f;

    private static final float PITCH_BROW_MAX = 0.5f;
    /** Frames before a phrase over which the speaker inhales (0.4 s at 25 fps). */
    private static final long INHALE_FRAMES = 10;
    /** Seconds between blinks: BLINK_MIN plus up to BLINK_SPREAD (mean 3.9 s, about 15 a minute). */
    private static final float BLINK_MIN = 1.8f;

    private static final float BLINK_SPREAD = 4.2f;
    /** Blinks planned per clip at most (enough for 15 minutes at the shortest intervals). */
    private static final long MAX_BLINKS = 512;

    /** Jaw, width, rounding per viseme, in {@link Visemes#NAMES} order. */
    private static final float[][] MOUTH = {
        {0.95f, 0.15f, 0f}, // aa
        {0.55f, 0.55f, 0f}, // E
        {0.35f, 0.75f, 0f}, // I
        {0.60f, -0.3f, 0.8f}, // O
        {0.30f, -0.5f, 1.0f}, // U
        {0f, 0f, 0f}, // PP: lips closed
        {0.15f, 0.45f, 0f}, // SS
        {0.25f, 0.3f, 0f}, // TH
        {0.35f, 0.2f, 0f}, // DD
        {0.10f, 0.1f, 0f}, // FF
        {0.45f, 0.2f, 0f}, // kk
        {0.25f, 0.2f, 0f}, // nn
        {0.35f, -0.2f, 0.5f}, // RR
        {0.30f, -0.2f, 0.6f}, // CH
        {0f, 0f, 0f}
    }; // sil

    private A2LGraph() {}

    static byte[] build(int fps) {
        return build(fps, false);
    }

    /**
     * @param headChanges whether the head's pitch, yaw and roll are given as their change from the previous frame
     *     ({@link #HEAD_CARRY}), for a denoiser that continues the head from where the frames before left it
     */
    static byte[] build(int fps, boolean headChanges) {
        GraphBuilder g = new GraphBuilder(headChanges ? "reference_history_a2l" : "reference_a2l")
                .input("features", ElementType.FLOAT, "frames", AudioEncoderGraph.FEATURES)
                .input("visemes", ElementType.FLOAT, "frames", Visemes.COUNT)
                .input("pitch", ElementType.FLOAT, "frames", Pitch.COUNT)
                .input("noise", ElementType.FLOAT, "frames", NOISE)
                .output("motion", ElementType.FLOAT, "frames", Motion.COUNT);

        String loudness = column(g, "features", AudioEncoderGraph.ENERGY);
        String flux = column(g, "features", AudioEncoderGraph.FLUX);
        String relative = g.sub(loudness, g.reduce("ReduceMax", loudness, true, 0));
        // The noise floor: the quietest stretch of about half a second, so that a recording's hiss or room noise reads
        // as silence; never more than 30 dB below the loudest frame (digital silence would flatten speech's range).
        String floor =
                g.op("Max", g.reduce("ReduceMin", smooth(g, relative, box(FLOOR_WINDOW)), true, 0), g.scalar(-3f));
        String aboveFloor = g.sub(relative, floor);
        String gate =
                g.op("Sigmoid", g.mul(g.sub(aboveFloor, g.scalar(0.5f)), g.scalar(4f))); // ~1 from 10 dB over the floor
        String level =
                g.clip(g.div(aboveFloor, g.add(g.op("Neg", floor), g.scalar(1e-3f))), 0f, 1f); // floor 0 … loudest 1
        String silence = column(g, "visemes", Visemes.SILENCE);
        String speaking = g.sub(g.scalar(1f), silence);
        String voice = g.mul(speaking, gate); // a phoneme heard over the noise floor

        float[] table = new float[Visemes.COUNT * 3];
        for (int v = 0; v < Visemes.COUNT; v++) {
            System.arraycopy(MOUTH[v], 0, table, v * 3, 3);
        }
        String mouth = g.op("MatMul", "visemes", g.tensor(table, Visemes.COUNT, 3)); // [F,3]
        // A speaker's lips part with the sound's energy (open vowels are the loud ones); the visemes shape the rest.
        String visemeJaw = g.mul(column(g, mouth, 0), g.add(g.scalar(0.55f), g.mul(level, g.scalar(0.45f))));
        String jaw = g.mul(
                g.add(g.mul(visemeJaw, g.scalar(1 - LOUDNESS_SHARE)), g.mul(level, g.scalar(LOUDNESS_SHARE))), gate);
        String width = g.mul(column(g, mouth, 1), gate);
        String round = g.mul(column(g, mouth, 2), gate);
        String smoothedMouth = smooth(g, g.concat(1, jaw, width, round), new float[] {0.15f, 0.7f, 0.15f});
        // Viseme probabilities are soft, so the blended jaw spans only a third of its range and barely dips between
        // syllables: stretch it so that the clip's widest opening is wide and the floor of connected speech closes.
        String smoothedJaw = column(g, smoothedMouth, 0);
        String jawSpan =
                g.add(g.sub(g.reduce("ReduceMax", smoothedJaw, true, 0), g.scalar(JAW_FLOOR)), g.scalar(1e-3f));
        String stretchedJaw =
                g.clip(g.mul(g.div(g.sub(smoothedJaw, g.scalar(JAW_FLOOR)), jawSpan), g.scalar(0.95f)), 0f, 1f);
        smoothedMouth = g.concat(
                1, stretchedJaw, g.op("Slice", List.of(smoothedMouth, g.longs(1), g.longs(3), g.longs(1)), null));

        String nonSpeech = g.mul(gate, silence);
        String fluxExcess = g.op("Relu", g.sub(flux, g.reduce("ReduceMean", flux, true, 0)));
        String emphasis =
                g.mul(g.div(fluxExcess, g.add(g.reduce("ReduceMax", fluxExcess, true, 0), g.scalar(1e-6f))), voice);
        float[] seven = gaussian(7, 1.5);
        // Intonation peaks: a voiced frame more than PITCH_PEAK octaves above the voice's pitch over the surrounding
        // two seconds lifts the brows: a rise, not a high passage (a singer's high verse would keep them up).
        String voiced = column(g, "pitch", Pitch.VOICED);
        String relativePitch = column(g, "pitch", Pitch.RELATIVE);
        float[] twoSeconds = box(2 * fps + 1);
        String localPitch = g.div(
                smooth(g, g.mul(relativePitch, voiced), twoSeconds),
                g.add(smooth(g, voiced, twoSeconds), g.scalar(1e-3f)));
        String pitchPeak =
                g.mul(g.mul(g.op("Relu", g.sub(g.sub(relativePitch, localPitch), g.scalar(PITCH_PEAK))), voiced), gate);
        String brow = g.clip(
                g.add(
                        g.add(
                                g.mul(smooth(g, emphasis, seven), g.scalar(1.5f)),
                                g.mul(smooth(g, nonSpeech, seven), g.scalar(0.4f))),
                        g.clip(g.mul(smooth(g, pitchPeak, seven), g.scalar(PITCH_BROW)), 0f, PITCH_BROW_MAX)),
                0f,
                1f);

        String frameCount = g.gather(g.op("Shape", "features"), g.longs(0), 0); // int64 [1]
        String frames = g.op(
                "Cast",
                List.of(g.op("Range", List.of(g.longScalar(0), g.squeeze(frameCount, 0), g.longScalar(1)), null)),
                null,
                Attribute.of("to", 1L)); // [F]: 0, 1, 2, …
        String uniform = column(g, "noise", 0);
        // Blinks as a renewal process: intervals between BLINK_MIN and BLINK_MIN + BLINK_SPREAD seconds (uniform, from
        // column 5 through the normal CDF), so that a clip never goes long without one, nor blinks like a metronome.
        String intervalU = g.mul(
                g.add(g.op("Erf", g.div(column(g, "noise", 5), g.scalar((float) Math.sqrt(2)))), g.scalar(1f)),
                g.scalar(0.5f));
        String intervals = g.transpose(
                g.op(
                        "Slice",
                        List.of(
                                g.mul(
                                        g.add(g.mul(intervalU, g.scalar(BLINK_SPREAD)), g.scalar(BLINK_MIN)),
                                        g.scalar(fps)),
                                g.longs(0),
                                g.longs(MAX_BLINKS),
                                g.longs(0)),
                        null),
                1,
                0); // [1,K] frames
        String blinkTimes = g.op(
                "Round", g.sub(g.op("CumSum", intervals, g.longScalar(1)), g.mul(intervals, g.scalar(0.6f)))); // [1,K]
        String impulses = g.reduceSum(
                g.op("Cast", List.of(g.op("Equal", g.unsqueeze(frames, 1), blinkTimes)), null, Attribute.of("to", 1L)),
                true,
                1);
        // Causal blink curve: the impulse frame starts closing, fully closed two frames later, open again by the sixth.
        String blink = g.clip(causal(g, impulses, new float[] {0.35f, 0.8f, 1f, 0.75f, 0.4f, 0.15f}), 0f, 1f);

        float[] slow = gaussian(31, 6.0);
        double norm = 0;
        for (float k : slow) {
            norm += k * k;
        }
        for (int i = 0; i < slow.length; i++) {
            slow[i] /= (float) Math.sqrt(norm); // unit output variance
        }
        String wander =
                smooth(g, g.op("Slice", List.of("noise", g.longs(1), g.longs(4), g.longs(1)), null), slow); // [F,3]
        String nod = smooth(g, emphasis, gaussian(9, 2.0));
        String pitch = g.add(g.mul(column(g, wander, 0), g.scalar(0.035f)), g.mul(nod, g.scalar(0.05f)));
        String yaw = g.mul(column(g, wander, 1), g.scalar(0.07f));
        String roll = g.mul(column(g, wander, 2), g.scalar(0.03f));

        String phase = g.mul(g.gather(uniform, g.longScalar(0), 0), g.scalar((float) (2 * Math.PI)));
        String cycle = g.op("Sin", g.add(g.mul(frames, g.scalar((float) (2 * Math.PI / (4.2 * fps)))), phase));
        // A speaker inhales before a phrase: over the INHALE_FRAMES before speech resumes after a pause, the chest
        // rises.
        String ahead = g.op(
                "Slice",
                List.of(
                        g.op("Pad", List.of(voice, g.longs(0, 0, INHALE_FRAMES, 0)), null),
                        g.longs(INHALE_FRAMES),
                        g.add(frameCount, g.longs(INHALE_FRAMES)),
                        g.longs(0)),
                null); // voice INHALE_FRAMES later, 0 past the end
        String inhale = smooth(g, g.op("Relu", g.sub(ahead, voice)), gaussian(7, 1.5));
        String breath = g.clip(
                g.add(
                        g.add(
                                g.add(g.scalar(0.5f), g.mul(g.unsqueeze(cycle, 1), g.scalar(0.5f))),
                                g.mul(nonSpeech, g.scalar(0.5f))),
                        g.mul(inhale, g.scalar(0.5f))),
                0f,
                1f);

        // Lips close for bilabials (fully), labiodentals (partly) and in pauses: a portrait whose lips are apart at
        // rest closes them there; a closed one is unchanged.
        String pause = smooth(g, g.sub(g.scalar(1f), voice), gaussian(9, 2.0));
        String lipsTogether =
                g.add(g.mul(column(g, "visemes", PP), g.scalar(1f)), g.mul(column(g, "visemes", FF), g.scalar(0.4f)));
        // A closure stops the sound: a bilabial heard at full loudness is the viseme model's guess, not a closure.
        lipsTogether = g.mul(lipsTogether, g.sub(g.scalar(1f), g.mul(level, g.scalar(0.7f))));
        String close =
                g.clip(g.add(smooth(g, g.mul(lipsTogether, gate), new float[] {0.15f, 0.7f, 0.15f}), pause), 0f, 1f);

        // Gaze: the n-th saccade looks at target n (column 4 read as a table), held until the next one.
        String saccades = g.op(
                "Cast",
                List.of(g.op("Greater", uniform, g.scalar(1f - SACCADE_PROBABILITY_PER_FRAME))),
                null,
                Attribute.of("to", 1L));
        String lastFrame = g.sub(frameCount, g.longs(1));
        String count = g.op(
                "Min",
                g.op("Cast", List.of(g.op("CumSum", saccades, g.longScalar(0))), null, Attribute.of("to", 7L)),
                lastFrame); // [F,1]
        String target = g.op("GatherElements", List.of(column(g, "noise", 4), count), null, Attribute.of("axis", 0L));
        String gaze = smooth(g, g.clip(g.mul(target, g.scalar(0.45f)), -0.8f, 0.8f), new float[] {0.25f, 0.5f, 0.25f});

        String body = body(g, fps, frameCount, loudness, emphasis, pitchPeak, voice, inhale, roll);

        if (headChanges) {
            pitch = change(g, pitch, frameCount);
            yaw = change(g, yaw, frameCount);
            roll = change(g, roll, frameCount);
        }
        g.op(
                "Concat",
                List.of(smoothedMouth, brow, blink, pitch, yaw, roll, breath, close, gaze, body),
                "motion",
                Attribute.of("axis", 1L));
        return g.toBytes("loopline-reference-pack");
    }

    /**
     * The body's channels, [F, 6] in {@link Motion} order from {@link Motion#SHOULDERS}: co-speech gestures from the
     * prosody. Stressed syllables are the peaks of the speech's accent (the rise in loudness at a syllable's onset,
     * its spectral-flux emphasis and intonation peaks, relative to the clip's mean) at least {@value #BEAT_SPACING} frames apart; each one is a beat: the forearm rises over the fifth
     * of a second before it and strikes down on it, and the hand dips on the stroke. Which arm beats is seeded (noise
     * column 3 at the beat: both arms three times in five, else one or the other). Strong accents also lift the forearm for longer (a raise
     * on emphasis). The arms hold a slight ready lift while someone speaks and settle to rest in pauses longer than
     * a second or so. The shoulders shrug on emphasis and rise with the inhale before a phrase; the torso follows
     * the head's roll by half.
     */
    private static String body(
            GraphBuilder g,
            int fps,
            String frameCount,
            String loudness,
            String emphasis,
            String pitchPeak,
            String voice,
            String inhale,
            String roll) {
        // Stress: the syllable's rise in loudness (the main cue), its spectral-flux emphasis and intonation peaks.
        String rise = g.mul(g.op("Relu", g.sub(loudness, previousFrame(g, loudness, frameCount, "edge"))), voice);
        String rawAccent = g.add(
                g.add(rise, g.mul(smooth(g, emphasis, new float[] {0.25f, 0.5f, 0.25f}), g.scalar(0.5f))),
                g.clip(g.mul(pitchPeak, g.scalar(2f)), 0f, 0.5f)); // [F,1]
        // Relative to the clip's mean accent: one loud burst must not make every other syllable look unstressed.
        String accent = g.div(rawAccent, g.add(g.reduce("ReduceMean", rawAccent, true, 0), g.scalar(1e-3f)));
        // Peaks: frames that are the largest within ±BEAT_SPACING/2 and strong enough.
        String row = g.unsqueeze(g.transpose(accent, 1, 0), 0); // [1,1,F]
        String localMax = g.op(
                "MaxPool",
                List.of(row),
                null,
                Attribute.ints("kernel_shape", BEAT_SPACING),
                Attribute.ints("pads", BEAT_SPACING / 2, BEAT_SPACING / 2),
                Attribute.ints("strides", 1));
        String isPeak = g.op("And", g.op("Equal", row, localMax), g.op("Greater", row, g.scalar(BEAT_THRESHOLD)));
        String peaks =
                g.transpose(g.squeeze(g.op("Cast", List.of(isPeak), null, Attribute.of("to", 1L)), 0), 1, 0); // [F,1]
        String beats =
                g.mul(peaks, g.add(g.scalar(0.6f), g.mul(g.clip(g.div(accent, g.scalar(6f)), 0f, 1f), g.scalar(0.4f))));
        String side = column(g, "noise", 3);
        String toLeft = g.op("Cast", List.of(g.op("Less", side, g.scalar(0.84f))), null, Attribute.of("to", 1L));
        String toRight = g.op("Cast", List.of(g.op("Greater", side, g.scalar(-0.84f))), null, Attribute.of("to", 1L));
        String sides = g.concat(1, g.mul(beats, toLeft), g.mul(beats, toRight)); // [F,2]
        String strong = g.mul(
                sides,
                g.op("Cast", List.of(g.op("Greater", accent, g.scalar(STRONG_ACCENT))), null, Attribute.of("to", 1L)));
        String stroke = shaped(g, sides, STROKE, STROKE_BEFORE);
        String raise = smooth(g, strong, peak(31, 6.0));
        String active = g.clip(g.mul(smooth(g, voice, box(fps * 3 / 2 + 1)), g.scalar(2.5f)), 0f, 1f); // [F,1]
        String arms = g.mul(
                g.clip(
                        g.add(g.add(g.scalar(0.15f), g.mul(stroke, g.scalar(0.8f))), g.mul(raise, g.scalar(0.15f))),
                        0f,
                        1.2f),
                active);
        String wrists = g.mul(g.mul(shaped(g, sides, FLICK, FLICK_BEFORE), g.scalar(0.8f)), active);
        String shoulders = g.clip(
                g.add(g.mul(smooth(g, emphasis, gaussian(9, 2.0)), g.scalar(1.2f)), g.mul(inhale, g.scalar(0.6f))),
                0f,
                1f);
        String lean = g.mul(roll, g.scalar(0.5f));
        return g.concat(1, shoulders, lean, arms, wrists);
    }

    /** Frames between beats at least (0.36 s at 25 fps): speakers beat on some stressed syllables, not every one. */
    private static final int BEAT_SPACING = 9;
    /** Accent, in multiples of the clip's mean, that a stressed syllable needs to get a beat. */
    private static final float BEAT_THRESHOLD = 1.5f;
    /** Accent, in multiples of the clip's mean, from which a beat also lifts the forearm for longer (emphasis). */
    private static final float STRONG_ACCENT = 4f;
    /**
     * A beat's forearm lift by frames from 5 before the stressed syllable to 6 after: up slowly, then the stroke
     * down, fastest on the syllable, and a small rebound.
     */
    private static final float[] STROKE = {0.15f, 0.35f, 0.6f, 0.85f, 1f, 0.55f, 0.15f, 0f, 0.05f, 0.08f, 0.05f, 0f};
    /** Frames of {@link #STROKE} before the syllable. */
    private static final int STROKE_BEFORE = 5;
    /** The hand's dip on the stroke, from one frame before the syllable to four after. */
    private static final float[] FLICK = {0.3f, 1f, 0.7f, 0.3f, 0.1f, 0f};

    private static final int FLICK_BEFORE = 1;

    /**
     * Each column's impulses [F, C] replaced by {@code shape}, whose element i falls {@code before} − i frames
     * before the impulse (negative: after).
     */
    private static String shaped(GraphBuilder g, String impulses, float[] shape, int before) {
        float[] kernel = new float[shape.length];
        for (int i = 0; i < shape.length; i++) {
            kernel[i] = shape[shape.length - 1 - i];
        }
        // Output f sums kernel[i]·x[f − padBefore + i]: an impulse at t reaches frames t + padBefore − i.
        return temporal(g, impulses, kernel, shape.length - 1 - before, before);
    }

    /**
     * The head's carry-over from frame to frame in the history variant: each frame keeps this share of the previous
     * frame's angle (half of it after 32 frames, 1.28 s) and adds its own change, so that the pose measured at a
     * segment's start, and any error in it, fades instead of accumulating over a long chain.
     */
    static final float HEAD_CARRY = 0.978572f;

    /** Each frame's value of a [F, 1] column minus {@link #HEAD_CARRY} times the previous frame's (0 before the first). */
    private static String change(GraphBuilder g, String x, String frameCount) {
        return g.sub(x, g.mul(previousFrame(g, x, frameCount, "constant"), g.scalar(HEAD_CARRY)));
    }

    /**
     * Each frame's previous frame of a [F, C] tensor; before the first, 0 ({@code "constant"}) or the first frame
     * itself ({@code "edge"}).
     */
    private static String previousFrame(GraphBuilder g, String x, String frameCount, String padMode) {
        return g.op(
                "Slice",
                List.of(
                        g.op("Pad", List.of(x, g.longs(1, 0, 0, 0)), null, Attribute.of("mode", padMode)),
                        g.longs(0),
                        frameCount,
                        g.longs(0)),
                null);
    }

    /** Column {@code c} of a [F, C] tensor as [F, 1]. */
    private static String column(GraphBuilder g, String x, int c) {
        return g.gather(x, g.longs(c), 1);
    }

    /** Centred temporal filter of every column of a [F, C] tensor (zero beyond the ends). */
    private static String smooth(GraphBuilder g, String x, float[] kernel) {
        int pad = kernel.length / 2;
        return temporal(g, x, kernel, pad, kernel.length - 1 - pad);
    }

    /** Causal filter: output frame f sums input frames f, f−1, … weighted by kernel[0], kernel[1], …. */
    private static String causal(GraphBuilder g, String x, float[] kernel) {
        float[] flipped = new float[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            flipped[i] = kernel[kernel.length - 1 - i];
        }
        return temporal(g, x, flipped, kernel.length - 1, 0);
    }

    private static String temporal(GraphBuilder g, String x, float[] kernel, int padBefore, int padAfter) {
        String channelsFirst = g.unsqueeze(g.transpose(x, 1, 0), 1); // [C,1,F]: channels as batch
        String filtered = g.op(
                "Conv",
                List.of(channelsFirst, g.tensor(kernel, 1, 1, kernel.length)),
                null,
                Attribute.ints("pads", padBefore, padAfter));
        return g.transpose(g.squeeze(filtered, 1), 1, 0);
    }

    private static float[] box(int taps) {
        float[] k = new float[taps];
        Arrays.fill(k, 1f / taps);
        return k;
    }

    /** A Gaussian bump whose centre tap is 1. */
    private static float[] peak(int taps, double sigma) {
        float[] k = gaussian(taps, sigma);
        float centre = k[taps / 2];
        for (int i = 0; i < taps; i++) {
            k[i] /= centre;
        }
        return k;
    }

    private static float[] gaussian(int taps, double sigma) {
        float[] k = new float[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            double d = i - (taps - 1) / 2.0;
            k[i] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < taps; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }
}
