package io.loopline.model.scheduler;

/**
 * The training noise schedule: cumulative products ᾱ_t of (1 − β_t) over the training timesteps,
 * with β linear or "scaled linear" (linear in √β, Stable Diffusion's) between {@code betaStart} and
 * {@code betaEnd}.
 */
public final class NoiseSchedule {

    /** How β grows over the training timesteps. */
    public enum BetaSchedule {
        LINEAR,
        SCALED_LINEAR
    }

    private final double[] alphaBar;

    private NoiseSchedule(double[] alphaBar) {
        this.alphaBar = alphaBar;
    }

    public static NoiseSchedule of(BetaSchedule type, double betaStart, double betaEnd, int trainTimesteps) {
        if (trainTimesteps < 2 || !(betaStart > 0) || !(betaEnd >= betaStart) || !(betaEnd < 1)) {
            throw new IllegalArgumentException(
                    "Invalid noise schedule: β " + betaStart + "…" + betaEnd + " over " + trainTimesteps + " steps");
        }
        double[] alphaBar = new double[trainTimesteps];
        double product = 1;
        for (int t = 0; t < trainTimesteps; t++) {
            double f = t / (double) (trainTimesteps - 1);
            double beta = switch (type) {
                case LINEAR -> betaStart + f * (betaEnd - betaStart);
                case SCALED_LINEAR ->
                    Math.pow(Math.sqrt(betaStart) + f * (Math.sqrt(betaEnd) - Math.sqrt(betaStart)), 2);
            };
            product *= 1 - beta;
            alphaBar[t] = product;
        }
        return new NoiseSchedule(alphaBar);
    }

    public int trainTimesteps() {
        return alphaBar.length;
    }

    /** ᾱ_t; ᾱ at t = -1 is 1 (the clean sample). */
    public double alphaBar(int t) {
        return t < 0 ? 1.0 : alphaBar[t];
    }

    /** σ_t = √((1 − ᾱ_t) / ᾱ_t), the noise level in the "variance exploding" view used by Euler samplers. */
    public double sigma(int t) {
        double a = alphaBar(t);
        return Math.sqrt((1 - a) / a);
    }

    /** {@code steps} evenly spaced timesteps, descending (the "leading" spacing of DDIM: 0, k, 2k, … reversed). */
    public int[] timesteps(int steps) {
        if (steps < 1 || steps > alphaBar.length) {
            throw new IllegalArgumentException("Sampling steps must be in 1.." + alphaBar.length + ", not " + steps);
        }
        int stride = alphaBar.length / steps;
        int[] timesteps = new int[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (steps - 1 - i) * stride;
        }
        return timesteps;
    }
}
