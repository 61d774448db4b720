package io.loopline.model.scheduler;

/** The sampler that turns the denoiser's predictions into frames. */
public enum SchedulerType {
    /** DDIM (Song et al., 2020), stochastic with η > 0. */
    DDIM,
    /** Euler's method on the probability-flow ODE (Karras et al., 2022). */
    EULER
}
