package io.loopline.model.scheduler;

/** What the denoiser predicts. */
public enum PredictionType {
    /** The noise ε added to the clean sample (DDPM, Stable Diffusion 1.x, Loopy/Hallo-style denoisers). */
    EPSILON,
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀ (Stable Diffusion 2.x "v-prediction"). */
    V_PREDICTION
}
