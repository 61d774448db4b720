package io.loopline.model.scheduler;

/**
 * A diffusion sampler: the sequence of timesteps and the update from one to the next. Samples are
 * flat float arrays (any tensor shape); updates are in place. Stateless apart from its
 * configuration, so one instance serves any number of concurrent samplings.
 *
 * <p>Sampling with a denoiser {@code model(input, timestep)}:
 * <pre>
 * float[] x = scheduler.initialSample(noise.gaussian(n));
 * for (int i = 0; i &lt; scheduler.steps(); i++) {
 *     float[] out = model(scheduler.scaleInput(x, i), scheduler.timestep(i));
 *     scheduler.step(out, i, x, noise);
 * }
 * </pre>
 */
public interface Scheduler {

    int steps();

    /** The model timestep of step {@code i} (descending with i). */
    int timestep(int i);

    /** ᾱ of the timestep of step {@code i}. */
    double alphaBar(int i);

    /**
     * The starting sample from unit Gaussian noise (scaled if the sampler works at another noise level).
     * Takes the array over: it may be scaled in place and returned (a frame-sized copy per segment is
     * not free), so callers pass noise they do not use again.
     */
    float[] initialSample(float[] unitNoise);

    /** What the model is given at step {@code i} (a copy when it differs from the sample). */
    float[] scaleInput(float[] sample, int i);

    /** Replaces {@code sample} (x at step i) with x at step i + 1, given the model's output. */
    void step(float[] modelOutput, int i, float[] sample, SeededNoise noise);

    /**
     * The model output that a perfect denoiser would give at step {@code i} for a sample whose clean
     * version is {@code target}: what an oracle denoiser returns (the reference pack's), and what tests
     * use to check that sampling recovers the target.
     */
    float[] idealOutput(float[] sample, float[] target, int i);
}
