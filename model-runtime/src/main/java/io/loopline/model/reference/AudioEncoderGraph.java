package io.loopline.model.reference;

import io.loopline.model.audio.Spectra;
import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.Attribute;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import io.loopline.model.pack.PackManifest;
import java.util.List;

/**
 * The reference pack's audio encoder: log-mel context windows [frames, bands, context] → per-frame
 * features [frames, {@value #FEATURES}]: overall loudness, speech-band (300–3400 Hz), low-band
 * (&lt; 300 Hz) and high-band (&gt; 3400 Hz) levels (mean log10 energy over the context), spectral
 * centroid (0..1 of the mel range), spectral flux (mean absolute change of log-mel from the previous
 * mel frame) and the frame's energy (log10 of the mean mel energy over its own 40 ms).
 */
final class AudioEncoderGraph {

    static final int FEATURES = 7;
    static final int LOUDNESS = 0;
    static final int SPEECH = 1;
    static final int LOW = 2;
    static final int HIGH = 3;
    static final int CENTROID = 4;
    static final int FLUX = 5;
    static final int ENERGY = 6;

    private AudioEncoderGraph() {}

    static byte[] build(PackManifest.AudioSpec audio) {
        int bands = audio.melBands();
        int context = audio.contextFrames();
        GraphBuilder g = new GraphBuilder("reference_audio_encoder")
                .input("mel", ElementType.FLOAT, "frames", bands, context)
                .output("features", ElementType.FLOAT, "frames", FEATURES);
        // Band weights: mean over all, speech, low and high bands (by each band's centre frequency).
        float[] weights = new float[bands * 4];
        int[] counts = new int[4];
        float[] centre = new float[bands];
        double melLow = Spectra.hzToMel(audio.minHz());
        double melHigh = Spectra.hzToMel(audio.maxHz());
        for (int b = 0; b < bands; b++) {
            double hz = Spectra.melToHz(melLow + (melHigh - melLow) * (b + 1) / (bands + 1));
            centre[b] = (b + 0.5f) / bands;
            boolean[] in = {true, hz >= 300 && hz <= 3400, hz < 300, hz > 3400};
            for (int k = 0; k < 4; k++) {
                if (in[k]) {
                    weights[b * 4 + k] = 1;
                    counts[k]++;
                }
            }
        }
        for (int b = 0; b < bands; b++) {
            for (int k = 0; k < 4; k++) {
                weights[b * 4 + k] /= Math.max(1, counts[k]);
            }
        }
        String meanOverContext = g.reduce("ReduceMean", "mel", false, 2); // [F,bands]
        String levels = g.op("MatMul", meanOverContext, g.tensor(weights, bands, 4)); // [F,4]
        // Centroid over linear energy of the centre mel frame.
        String centreIndex = g.longScalar(context / 2);
        String centreFrame = g.gather("mel", centreIndex, 2); // [F,bands]
        String linear = g.op("Pow", g.scalar(10f), centreFrame);
        String centroid = g.div(
                g.op("MatMul", linear, g.tensor(centre, bands, 1)),
                g.add(g.reduceSum(linear, true, 1), g.scalar(1e-10f))); // [F,1]
        String previous = g.gather("mel", g.longScalar(Math.max(0, context / 2 - 1)), 2);
        String flux = g.reduce("ReduceMean", g.op("Abs", g.sub(centreFrame, previous)), true, 1); // [F,1]
        // Energy over the frame's own 40 ms (the middle four mel frames): the mean of linear energies, so the loudest
        // bands dominate as they do in a level meter, and short enough to dip between syllables.
        int span = 4;
        String middle = g.op(
                "Slice",
                List.of("mel", g.longs(context / 2 - span / 2), g.longs(context / 2 - span / 2 + span), g.longs(2)),
                null);
        String energy = g.div(
                g.op("Log", g.reduce("ReduceMean", g.op("Pow", g.scalar(10f), middle), false, 1, 2)),
                g.scalar((float) Math.log(10)));
        g.op("Concat", List.of(levels, centroid, flux, g.unsqueeze(energy, 1)), "features", Attribute.of("axis", 1L));
        return g.toBytes("loopline-reference-pack");
    }
}
