package io.loopline.model.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime sessions, created once per process and shared: one per model file, for every worker
 * thread (a session's {@code run} is thread-safe). CPU by default; CUDA when configured, with a clear
 * error — or a logged fall-back to the CPU — when CUDA is asked for but not present.
 */
public final class OnnxSessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OnnxSessions.class);

    private final OrtEnvironment env = sharedEnvironment();
    private final RuntimeOptions options;
    private final Map<Path, OrtSession> sessions = new ConcurrentHashMap<>();
    private volatile String activeDevice;
    private final AtomicBoolean fallbackReported = new AtomicBoolean();

    public OnnxSessions(RuntimeOptions options) {
        this.options = options;
    }

    private static volatile OrtEnvironment shared;

    /**
     * The process's ONNX Runtime environment. Its one-time native initialization needs more stack
     * than a JVM thread has by default (1 MB): seen crashing the JVM (SIGSEGV) depending on nothing
     * more than the class-path length. So it is created once on a thread with a large stack.
     */
    public static OrtEnvironment sharedEnvironment() {
        OrtEnvironment result = shared;
        if (result == null) {
            synchronized (OnnxSessions.class) {
                if (shared == null) {
                    OrtEnvironment[] created = new OrtEnvironment[1];
                    Thread init = new Thread(
                            null, () -> created[0] = OrtEnvironment.getEnvironment(), "onnxruntime-init", 64L << 20);
                    init.start();
                    try {
                        init.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ModelRuntimeException("Interrupted while starting ONNX Runtime", e);
                    }
                    if (created[0] == null) {
                        throw new ModelRuntimeException("ONNX Runtime could not be started", null);
                    }
                    shared = created[0];
                    removeExtractionFolder();
                }
                result = shared;
            }
        }
        return result;
    }

    /**
     * Removes the folder ONNX Runtime just extracted its native libraries into. It asks the JVM to delete it at
     * exit before the files in it, which cannot work, so every process left an empty folder behind (hundreds
     * piled up in the temporary folder). The libraries are loaded by now, and on Unix a loaded library's file may
     * go. The folder is ONNX Runtime's own record of it (a private field: read reflectively, skipped if absent).
     */
    private static void removeExtractionFolder() {
        if (File.separatorChar != '/') {
            return; // Windows keeps loaded libraries' files locked
        }
        try {
            Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
            field.setAccessible(true);
            if (field.get(null) instanceof Path folder) {
                FileUtils.deleteQuietly(folder.toFile());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another version of ONNX Runtime: its folder stays, as before.
        }
    }

    public OrtEnvironment environment() {
        return env;
    }

    /** The device sessions actually run on ({@code cpu} or {@code cuda}); known after the first open. */
    public String activeDevice() {
        return activeDevice;
    }

    /** The session of {@code file}, created on first use. */
    public OrtSession open(Path file) {
        return sessions.computeIfAbsent(file.toAbsolutePath().normalize(), this::create);
    }

    private OrtSession create(Path file) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            if (options.interOpThreads() > 0) {
                so.setInterOpNumThreads(options.interOpThreads());
            }
            String device = "cpu";
            if (options.wantsCuda()) {
                try {
                    OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(options.cudaDeviceId());
                    if (options.gpuMemoryLimit() > 0) {
                        cuda.add("gpu_mem_limit", Long.toString(options.gpuMemoryLimit()));
                    }
                    cuda.add("arena_extend_strategy", options.arenaStrategy());
                    so.addCUDA(cuda);
                    device = "cuda";
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    String why = "CUDA was requested (model.device=cuda, device " + options.cudaDeviceId()
                            + ") but is not available: " + e.getMessage()
                            + ". The GPU build of ONNX Runtime with CUDA 12 and cuDNN 9 is needed";
                    if (!options.cudaFallback()) {
                        throw new ModelRuntimeException(
                                why + "; or allow the CPU fall-back (model.cuda.fallback=true).", e);
                    }
                    if (fallbackReported.compareAndSet(false, true)) {
                        log.warn("{}; running on the CPU instead (model.cuda.fallback=true)", why);
                    }
                }
            }
            OrtSession session = env.createSession(file.toString(), so);
            activeDevice = device;
            return session;
        } catch (OrtException e) {
            throw new ModelRuntimeException(
                    "ONNX Runtime cannot load " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sessions.values().forEach(s -> {
            try {
                s.close();
            } catch (OrtException e) {
                log.warn("Closing an ONNX session failed: {}", e.getMessage());
            }
        });
        sessions.clear();
    }
}
