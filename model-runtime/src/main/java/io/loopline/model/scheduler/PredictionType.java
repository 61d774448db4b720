package io.loopline.model.scheduler;

/** What the denoiser predicts; {@code pack.json} names it as diffusers does (epsilon, v_prediction, sample). */
public enum PredictionType {
    /** The noise ε added to the clean sample (DDPM, Stable Diffusion 1.x, Loopy/Hallo-style denoisers). */
    EPSILON,
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀ (Stable Diffusion 2.x "v-prediction"). */
    V_PREDICTION,
    /** The clean sample x₀ itself (x₀-prediction; one-step and direct generators). */
    SAMPLE
}
