package io.loopline.model.scheduler;

/**
 * Classifier-free guidance over two conditions, as Loopy and Hallo apply it: the reference image
 * first, then the audio on top of it,
 * <pre>out = uncond + s_ref·(ref − uncond) + s_audio·(ref_audio − ref)</pre>
 * where {@code uncond} has neither condition, {@code ref} only the reference and {@code ref_audio}
 * both. With both scales 1 the result is the fully conditioned prediction.
 */
public record Guidance(float audioScale, float referenceScale) {

    public static final Guidance NONE = new Guidance(1f, 1f);

    /** Whether the unconditional and reference-only predictions are needed at all. */
    public boolean needsExtraPasses() {
        return audioScale != 1f || referenceScale != 1f;
    }

    public float[] combine(float[] unconditional, float[] referenceOnly, float[] full) {
        float[] out = new float[full.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = unconditional[k]
                    + referenceScale * (referenceOnly[k] - unconditional[k])
                    + audioScale * (full[k] - referenceOnly[k]);
        }
        return out;
    }
}
