package io.loopline.model.scheduler;

import java.util.Arrays;
import java.util.List;

/** What the denoiser predicts, by its name in {@code pack.json} (the names diffusers uses). */
public enum PredictionType {
    /** The noise ε added to the clean sample (DDPM, Stable Diffusion 1.x, Loopy/Hallo-style denoisers). */
    EPSILON("epsilon"),
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀ (Stable Diffusion 2.x "v-prediction"). */
    V_PREDICTION("v_prediction"),
    /** The clean sample x₀ itself (x₀-prediction; one-step and direct generators). */
    SAMPLE("sample");

    private final String key;

    PredictionType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The keys {@code pack.json} accepts. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(PredictionType::key).toList();
    }

    /** The type named {@code key} in {@code pack.json}. */
    public static PredictionType of(String key) {
        for (PredictionType t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown prediction type " + key + " (expected one of " + keys() + ")");
    }
}
