package io.loopline.model.scheduler;

/** What DDIM and Euler share: the noise schedule, the prediction type and the descending timesteps. */
abstract class TimestepScheduler implements Scheduler {

    protected final NoiseSchedule schedule;
    protected final PredictionType prediction;
    protected final int[] timesteps;

    TimestepScheduler(NoiseSchedule schedule, PredictionType prediction, int steps) {
        this.schedule = schedule;
        this.prediction = prediction;
        this.timesteps = schedule.timesteps(steps);
    }

    @Override
    public int steps() {
        return timesteps.length;
    }

    @Override
    public int timestep(int i) {
        return timesteps[i];
    }

    @Override
    public double alphaBar(int i) {
        return schedule.alphaBar(timesteps[i]);
    }
}
