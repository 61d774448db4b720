package io.loopline.model.pack;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import io.loopline.model.runtime.ModelRuntimeException;
import io.loopline.model.runtime.OnnxSessions;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loaded, validated model pack: its manifest and one ONNX Runtime session per model, run by
 * tensor role ({@link ModelKind}) so that callers never depend on a pack's own tensor names.
 */
public final class ModelPack {

    /**
     * One model: its session, the mapping between roles and the file's tensor names, which inputs are
     * float16, whether every output is float32, and whether it is a lone Identity node.
     */
    record LoadedModel(
            OrtSession session,
            Map<String, String> inputNames,
            Map<String, String> outputNames,
            Set<String> fp16Inputs,
            boolean floatOutputs,
            boolean identity) {}

    private final Path directory;
    private final PackManifest manifest;
    private final Map<ModelKind, LoadedModel> models;

    ModelPack(Path directory, PackManifest manifest, Map<ModelKind, LoadedModel> models) {
        this.directory = directory;
        this.manifest = manifest;
        this.models = new EnumMap<>(models);
    }

    public PackManifest manifest() {
        return manifest;
    }

    public Path directory() {
        return directory;
    }

    /** Whether the model declares an (optional) input role. */
    public boolean hasInput(ModelKind kind, String role) {
        return models.get(kind).inputNames().containsKey(role);
    }

    /** Whether the model only passes its input through (an identity VAE): running it would copy, nothing more. */
    public boolean isIdentity(ModelKind kind) {
        return models.get(kind).identity();
    }

    /** Whether every output of the model is float32, so {@link #runInto} can write it into a caller's buffer. */
    public boolean hasFloatOutputs(ModelKind kind) {
        return models.get(kind).floatOutputs();
    }

    /**
     * Runs one model with a single output role written straight into {@code into}, a float32 tensor of
     * the output's shape over the caller's (reused) buffer: no output allocation and no copy out of
     * ONNX Runtime. Needs {@link #hasFloatOutputs}.
     */
    public void runInto(ModelKind kind, Map<String, OnnxTensor> inputs, String outputRole, OnnxTensor into) {
        LoadedModel model = models.get(kind);
        String name = model.outputNames().get(outputRole);
        if (name == null || model.outputNames().size() != 1 || !model.floatOutputs()) {
            throw new IllegalArgumentException(
                    kind.key() + " does not have float32 output " + outputRole + " as its only output");
        }
        runSession(kind, inputs, Map.of(name, into)).close(); // a pinned output stays the caller's
    }

    /**
     * Runs one model. {@code inputs} maps roles to tensors (optional roles the pack lacks are
     * skipped); float32 tensors given for float16 inputs are converted. The result maps output roles
     * to values, which the caller closes ({@code getFloatBuffer()} reads float16 outputs as floats).
     */
    public Map<String, OnnxValue> run(ModelKind kind, Map<String, OnnxTensor> inputs) {
        OrtSession.Result result = runSession(kind, inputs, Map.of());
        Map<String, OnnxValue> byRole = new HashMap<>();
        models.get(kind)
                .outputNames()
                .forEach((role, name) -> byRole.put(role, result.get(name).orElseThrow()));
        return byRole;
    }

    private OrtSession.Result runSession(
            ModelKind kind, Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> pinnedOutputs) {
        LoadedModel model = models.get(kind);
        Map<String, OnnxTensor> byName = new HashMap<>();
        List<OnnxTensor> converted = new ArrayList<>();
        try {
            for (Map.Entry<String, OnnxTensor> e : inputs.entrySet()) {
                String name = model.inputNames().get(e.getKey());
                if (name == null) {
                    if (!kind.optionalInputs().contains(e.getKey())) {
                        throw new IllegalArgumentException(kind.key() + " has no input role " + e.getKey());
                    }
                    continue;
                }
                OnnxTensor tensor = e.getValue();
                if (model.fp16Inputs().contains(e.getKey()) && tensor.getInfo().type == OnnxJavaType.FLOAT) {
                    tensor = OnnxTensor.createTensor(
                            OnnxRuntimeHolder.environment(),
                            Fp16Conversions.convertFloatBufferToFp16Buffer(tensor.getFloatBuffer()),
                            tensor.getInfo().getShape(),
                            OnnxJavaType.FLOAT16);
                    converted.add(tensor);
                }
                byName.put(name, tensor);
            }
            long started = System.nanoTime();
            // Sessions are thread-safe: workers run in parallel.
            OrtSession.Result result = pinnedOutputs.isEmpty()
                    ? model.session().run(byName)
                    : model.session().run(byName, pinnedOutputs);
            runTimer(kind).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            Duration latency = emulatedLatency.get(kind);
            if (latency != null) {
                sleep(latency);
            }
            return result;
        } catch (OrtException e) {
            throw new ModelRuntimeException(
                    "Model " + kind.key() + " of pack " + manifest.name() + " failed: " + e.getMessage(), e);
        } finally {
            converted.forEach(OnnxTensor::close);
        }
    }

    private static final Map<ModelKind, Duration> emulatedLatency = new ConcurrentHashMap<>();

    /**
     * Test and benchmark hook: adds a fixed delay to every run of {@code kind}, in every pack of this
     * process, to emulate an accelerator's latency on a machine without one. {@code null} removes it.
     */
    public static void emulateLatency(ModelKind kind, Duration latency) {
        if (latency == null) {
            emulatedLatency.remove(kind);
        } else {
            emulatedLatency.put(kind, latency);
        }
    }

    private static void sleep(Duration latency) {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process-wide ONNX Runtime environment, for tensors the pack creates itself. */
    private static final class OnnxRuntimeHolder {
        static OrtEnvironment environment() {
            return OnnxSessions.sharedEnvironment();
        }
    }

    /** Copies the pack (manifest and ONNX files) to {@code target}, a folder that {@link PackLoader} loads. */
    public void exportTo(Path target) throws IOException {
        Files.createDirectories(target);
        Files.copy(
                directory.resolve(PackLoader.MANIFEST),
                target.resolve(PackLoader.MANIFEST),
                StandardCopyOption.REPLACE_EXISTING);
        for (PackManifest.ModelSpec spec : manifest.models().values()) {
            Files.copy(
                    directory.resolve(spec.file()), target.resolve(spec.file()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Time of one model run in ONNX Runtime, by pack and model: Micrometer's global registry, which services publish. */
    public static final String MODEL_RUN = "loopline.model.run";

    private Timer runTimer(ModelKind kind) {
        return Timer.builder(MODEL_RUN)
                .description("Time of one model run in ONNX Runtime")
                .tag("pack", manifest.name())
                .tag("model", kind.key())
                .publishPercentileHistogram()
                .register(Metrics.globalRegistry);
    }
}
