package io.loopline.model.scheduler;

/** Conversions between what a denoiser predicts and the clean sample, at one noise level ᾱ. */
final class Predictions {

    private Predictions() {}

    /**
     * The output a perfect denoiser gives for model input {@code xt} = √ᾱ·x₀ + √(1−ᾱ)·ε when the
     * clean sample is {@code x0}: ε itself, v = √ᾱ·ε − √(1−ᾱ)·x₀, or x₀.
     */
    static float[] ideal(PredictionType prediction, float[] xt, float[] x0, double alphaBar) {
        double sqrtA = Math.sqrt(alphaBar);
        double sqrt1mA = Math.sqrt(1 - alphaBar);
        float[] out = new float[xt.length];
        for (int k = 0; k < out.length; k++) {
            double eps = (xt[k] - sqrtA * x0[k]) / sqrt1mA;
            out[k] = switch (prediction) {
                case EPSILON -> (float) eps;
                case V_PREDICTION -> (float) (sqrtA * eps - sqrt1mA * x0[k]);
                case SAMPLE -> x0[k];
            };
        }
        return out;
    }
}
