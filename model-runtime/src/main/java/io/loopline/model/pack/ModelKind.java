package io.loopline.model.pack;

import java.util.Set;

/**
 * The models of a pack and the tensor roles each must (and may) have. Roles are the contract the
 * runtime relies on; tensor names are the pack's own and are mapped to roles in {@code pack.json}.
 * docs/model-packs.md gives each role's meaning, layout and value range.
 */
public enum ModelKind {
    AUDIO_ENCODER("audio_encoder", Set.of("mel"), Set.of(), Set.of("features")),
    A2L("a2l", Set.of("features"), Set.of("visemes", "pitch", "noise"), Set.of("motion")),
    /**
     * Without {@code noisy_latents} the denoiser is a direct generator: it predicts the clean sample
     * ({@code scheduler.prediction} "sample") from its conditions alone, in one pass, and no noise is drawn.
     */
    DENOISER(
            "denoiser",
            Set.of("reference_latents", "audio_features", "motion"),
            Set.of("noisy_latents", "timestep", "motion_frames", "landmarks", "pose", "hands"),
            Set.of("prediction")),
    VAE_ENCODER("vae_encoder", Set.of("image"), Set.of(), Set.of("latents")),
    VAE_DECODER("vae_decoder", Set.of("latents"), Set.of(), Set.of("image"));

    private final String key;
    private final Set<String> requiredInputs;
    private final Set<String> optionalInputs;
    private final Set<String> outputs;

    ModelKind(String key, Set<String> requiredInputs, Set<String> optionalInputs, Set<String> outputs) {
        this.key = key;
        this.requiredInputs = requiredInputs;
        this.optionalInputs = optionalInputs;
        this.outputs = outputs;
    }

    /** The model's key in {@code pack.json}'s {@code models} object. */
    public String key() {
        return key;
    }

    public Set<String> requiredInputs() {
        return requiredInputs;
    }

    public Set<String> optionalInputs() {
        return optionalInputs;
    }

    public Set<String> outputs() {
        return outputs;
    }

    public static ModelKind ofKey(String key) {
        for (ModelKind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
