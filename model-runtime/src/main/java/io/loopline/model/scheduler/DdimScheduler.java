package io.loopline.model.scheduler;

/**
 * DDIM (Song et al., 2021): deterministic with η = 0, stochastic (DDPM-like) with η > 0. The final
 * step goes to ᾱ = 1, the clean sample.
 */
public final class DdimScheduler extends TimestepScheduler {

    private final double eta;

    public DdimScheduler(NoiseSchedule schedule, PredictionType prediction, int steps, double eta) {
        super(schedule, prediction, steps);
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("DDIM eta must be in [0, 1], not " + eta);
        }
        this.eta = eta;
    }

    private double alphaBarNext(int i) {
        return i + 1 < timesteps.length ? schedule.alphaBar(timesteps[i + 1]) : 1.0;
    }

    @Override
    public float[] initialSample(float[] unitNoise) {
        return unitNoise;
    }

    @Override
    public float[] scaleInput(float[] sample, int i) {
        return sample;
    }

    @Override
    public void step(float[] out, int i, float[] x, SeededNoise noise) {
        double a = alphaBar(i);
        double aNext = alphaBarNext(i);
        double sqrtA = Math.sqrt(a);
        double sqrt1mA = Math.sqrt(1 - a);
        double sigma = eta * Math.sqrt((1 - aNext) / (1 - a)) * Math.sqrt(Math.max(0, 1 - a / aNext));
        double dirScale = Math.sqrt(Math.max(0, 1 - aNext - sigma * sigma));
        double sqrtANext = Math.sqrt(aNext);
        // x_next = √ᾱ'·x̂₀ + √(1−ᾱ'−σ²)·ε̂ (+ σ·z) is linear in x and the model output: x_next = cx·x + co·out.
        double cx;
        double co;
        switch (prediction) {
            case EPSILON -> {
                cx = sqrtANext / sqrtA;
                co = dirScale - sqrtANext * sqrt1mA / sqrtA;
            }
            case V_PREDICTION -> {
                cx = sqrtANext * sqrtA + dirScale * sqrt1mA;
                co = dirScale * sqrtA - sqrtANext * sqrt1mA;
            }
            default -> { // SAMPLE: x̂₀ is the output, ε̂ = (x − √ᾱ·x̂₀)/√(1−ᾱ)
                cx = dirScale / sqrt1mA;
                co = sqrtANext - dirScale * sqrtA / sqrt1mA;
            }
        }
        float fx = (float) cx;
        float fo = (float) co;
        if (sigma > 0) {
            float[] z = noise.gaussian(x.length);
            float fs = (float) sigma;
            for (int k = 0; k < x.length; k++) {
                x[k] = fx * x[k] + fo * out[k] + fs * z[k];
            }
        } else {
            for (int k = 0; k < x.length; k++) {
                x[k] = fx * x[k] + fo * out[k];
            }
        }
    }

    @Override
    public float[] idealOutput(float[] x, float[] target, int i) {
        return Predictions.ideal(prediction, x, target, alphaBar(i));
    }
}
