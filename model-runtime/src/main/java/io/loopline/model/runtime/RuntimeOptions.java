package io.loopline.model.runtime;

/**
 * How ONNX Runtime runs the models.
 *
 * @param device          {@code cpu} or {@code cuda}
 * @param cudaDeviceId    GPU index for CUDA
 * @param gpuMemoryLimit  bytes the CUDA arena may take (0: no limit)
 * @param arenaStrategy   CUDA arena growth: {@code kNextPowerOfTwo} or {@code kSameAsRequested}
 * @param intraOpThreads  threads inside one operator (0: ONNX Runtime's default, one per core)
 * @param interOpThreads  threads across operators (0: default)
 * @param cudaFallback    when CUDA is asked for but unavailable: run on the CPU (true) or fail (false)
 */
public record RuntimeOptions(
        String device,
        int cudaDeviceId,
        long gpuMemoryLimit,
        String arenaStrategy,
        int intraOpThreads,
        int interOpThreads,
        boolean cudaFallback) {

    public static RuntimeOptions cpu(int threads) {
        return new RuntimeOptions("cpu", 0, 0, "kNextPowerOfTwo", threads, 1, false);
    }

    public RuntimeOptions {
        if (!device.equals("cpu") && !device.equals("cuda")) {
            throw new IllegalArgumentException("Model device must be cpu or cuda, not " + device);
        }
        if (!arenaStrategy.equals("kNextPowerOfTwo") && !arenaStrategy.equals("kSameAsRequested")) {
            throw new IllegalArgumentException(
                    "Arena strategy must be kNextPowerOfTwo or kSameAsRequested, not " + arenaStrategy);
        }
    }

    public boolean wantsCuda() {
        return device.equals("cuda");
    }
}
