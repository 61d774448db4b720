package io.loopline.model.scheduler;

/**
 * Euler's method on the probability-flow ODE in the σ parameterisation (Karras et al., 2022; the
 * "Euler discrete" sampler of k-diffusion/diffusers): x lives at noise level σ, the model sees
 * x / √(σ² + 1), and each step moves along (x − x̂₀)/σ to the next σ, ending at σ = 0.
 */
public final class EulerScheduler extends TimestepScheduler {

    private final double[] sigmas;

    public EulerScheduler(NoiseSchedule schedule, PredictionType prediction, int steps) {
        super(schedule, prediction, steps);
        this.sigmas = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = schedule.sigma(timesteps[i]);
        }
        sigmas[steps] = 0;
    }

    @Override
    public float[] initialSample(float[] unitNoise) {
        for (int k = 0; k < unitNoise.length; k++) {
            unitNoise[k] = (float) (unitNoise[k] * sigmas[0]);
        }
        return unitNoise;
    }

    @Override
    public float[] scaleInput(float[] sample, int i) {
        double scale = 1 / Math.sqrt(sigmas[i] * sigmas[i] + 1);
        float[] in = new float[sample.length];
        for (int k = 0; k < in.length; k++) {
            in[k] = (float) (sample[k] * scale);
        }
        return in;
    }

    @Override
    public void step(float[] out, int i, float[] x, SeededNoise noise) {
        double sigma = sigmas[i];
        double dt = sigmas[i + 1] - sigma;
        // x̂₀ is linear in x and the output, so is the Euler update x + dt·(x − x̂₀)/σ = cx·x + co·out.
        double cx;
        double co;
        switch (prediction) {
            case EPSILON -> {
                cx = 1;
                co = dt;
            }
            case V_PREDICTION -> {
                double c = Math.sqrt(sigma * sigma + 1);
                cx = 1 + dt * (1 - 1 / (sigma * sigma + 1)) / sigma;
                co = dt / c;
            }
            default -> { // SAMPLE: x̂₀ is the output
                cx = 1 + dt / sigma;
                co = -dt / sigma;
            }
        }
        float fx = (float) cx;
        float fo = (float) co;
        for (int k = 0; k < x.length; k++) {
            x[k] = fx * x[k] + fo * out[k];
        }
    }

    @Override
    public float[] idealOutput(float[] x, float[] target, int i) {
        // The model sees the scaled sample x/√(σ²+1) = √ᾱ·x₀ + √(1−ᾱ)·ε: the same relation as DDIM's.
        return Predictions.ideal(prediction, scaleInput(x, i), target, alphaBar(i));
    }
}
