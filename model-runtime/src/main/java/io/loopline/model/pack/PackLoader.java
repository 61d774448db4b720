package io.loopline.model.pack;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.scheduler.NoiseSchedule;
import io.loopline.model.scheduler.PredictionType;
import io.loopline.model.scheduler.SchedulerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a model pack folder and validates it: the manifest's own consistency, then every model's
 * tensors against the ONNX file's real input/output metadata. Any mismatch is one
 * {@link PackValidationException} naming the model, the tensor, what was expected and what was found.
 */
public final class PackLoader {

    public static final String MANIFEST = "pack.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private PackLoader() {}

    public static ModelPack load(Path directory, OnnxSessions sessions) {
        PackManifest manifest = readManifest(directory);
        checkManifest(manifest);
        Map<ModelKind, ModelPack.LoadedModel> models = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.values()) {
            PackManifest.ModelSpec spec = manifest.models().get(kind.key());
            Path file = directory.resolve(spec.file()).normalize();
            if (!file.startsWith(directory.normalize()) || !Files.isRegularFile(file)) {
                throw invalid(manifest, kind, "file " + spec.file() + " is missing from " + directory);
            }
            OrtSession session = sessions.open(file);
            models.put(kind, validateModel(manifest, kind, spec, session, isIdentity(file)));
        }
        return new ModelPack(directory, manifest, models);
    }

    public static PackManifest readManifest(Path directory) {
        Path file = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new PackValidationException("No " + MANIFEST + " in " + directory + ": not a model pack folder");
        }
        try {
            return JSON.readValue(file.toFile(), PackManifest.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                    .orElse("(top level)");
            String reason = e.getOriginalMessage()
                    .replaceAll(" \\(set DeserializationConfig.*\\)", "")
                    .replace("`null`", "a missing value");
            throw new PackValidationException(
                    MANIFEST + " of " + directory + " is invalid at \"" + path + "\": " + reason, e);
        } catch (JsonProcessingException e) {
            throw new PackValidationException(
                    MANIFEST + " of " + directory + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                            + e.getLocation().getLineNr() + ")",
                    e);
        } catch (IOException e) {
            throw new PackValidationException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static String toJson(PackManifest manifest) {
        try {
            return JSON.writeValueAsString(manifest) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Motion history is declared in two places that must agree: {@code motionHistory} says how many past frames
     * and which, the denoiser's {@code motion_frames} input takes them; and since past frames must exist before a
     * segment renders, a pack with history renders its segments in chained mode.
     */
    private static void checkMotionHistory(PackManifest m, List<String> problems) {
        PackManifest.ModelSpec denoiser = m.models() == null ? null : m.models().get(ModelKind.DENOISER.key());
        if (denoiser == null || m.motionHistory() == null) {
            return;
        }
        boolean takesFrames = denoiser.inputs().stream().anyMatch(t -> "motion_frames".equals(t.role()));
        int count = m.motionHistory().count();
        if (takesFrames && count < 1) {
            problems.add("the denoiser takes motion_frames, so motionHistory.count must be at least 1");
        }
        if (!takesFrames && count > 0) {
            problems.add("motionHistory.count is " + count + " but the denoiser takes no motion_frames input to feed"
                    + " them to (set it to 0, or add the input)");
        }
        if (takesFrames
                && !ManifestNames.name(PackManifest.Segmentation.CHAINED).equals(m.segmentMode())) {
            problems.add("a denoiser that takes motion_frames needs the frames rendered before each segment:"
                    + " segmentMode must be " + ManifestNames.name(PackManifest.Segmentation.CHAINED) + ", not "
                    + m.segmentMode());
        }
    }

    /**
     * {@code motionChannels}, when given, names each column of the A2L's motion: one name per column, and a pack
     * that moves the body ({@link PackManifest#BODY_CHANNELS}) takes the body's pose in its denoiser.
     */
    private static void checkMotionChannels(PackManifest m, List<String> problems) {
        List<String> names = m.motionChannels();
        if (names == null) {
            return;
        }
        if (names.stream().anyMatch(n -> n == null || !n.matches("[a-z][a-z0-9_]{0,31}"))
                || names.stream().distinct().count() != names.size()) {
            problems.add("motionChannels must be distinct names of 1-32 lower-case letters, digits or '_': " + names);
        }
        for (ModelKind kind : List.of(ModelKind.A2L, ModelKind.DENOISER)) {
            PackManifest.ModelSpec spec = m.models() == null ? null : m.models().get(kind.key());
            if (spec == null) {
                continue;
            }
            for (PackManifest.TensorSpec t : kind == ModelKind.A2L ? spec.outputs() : spec.inputs()) {
                if ("motion".equals(t.role())
                        && t.shape() != null
                        && !t.shape().isEmpty()
                        && t.shape().get(t.shape().size() - 1) instanceof Number n
                        && n.intValue() != names.size()) {
                    problems.add("motionChannels names " + names.size() + " channels but the " + kind.key()
                            + "'s motion has " + n.intValue());
                }
            }
        }
        PackManifest.ModelSpec denoiser = m.models() == null ? null : m.models().get(ModelKind.DENOISER.key());
        boolean takesPose = denoiser != null && denoiser.inputs().stream().anyMatch(t -> "pose".equals(t.role()));
        List<String> body =
                names.stream().filter(PackManifest.BODY_CHANNELS::contains).toList();
        if (!body.isEmpty() && !takesPose) {
            problems.add("motionChannels " + body + " move the body, so the denoiser must take the body's pose"
                    + " (an input of role pose)");
        }
    }

    private static void checkManifest(PackManifest m) {
        List<String> problems = new ArrayList<>();
        if (!PackManifest.FORMAT.equals(m.format())) {
            problems.add("format must be \"" + PackManifest.FORMAT + "\", not \"" + m.format() + "\"");
        }
        if (m.name() == null || !m.name().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            problems.add("name must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (m.fps() < 1 || m.fps() > 120) {
            problems.add("fps must be 1..120, not " + m.fps());
        }
        if (m.latent() == null || m.latent().channels() < 1 || m.latent().downsample() < 1) {
            problems.add("latent needs channels >= 1 and downsample >= 1");
        } else if (m.width() < 1
                || m.height() < 1
                || m.width() % m.latent().downsample() != 0
                || m.height() % m.latent().downsample() != 0) {
            problems.add("width and height (" + m.width() + "×" + m.height()
                    + ") must be positive multiples of latent.downsample "
                    + m.latent().downsample());
        }
        if (m.clip() == null
                || m.clip().frames() < 1
                || m.clip().overlap() < 0
                || m.clip().overlap() >= m.clip().frames()) {
            problems.add("clip needs frames >= 1 and 0 <= overlap < frames");
        }
        if (m.motionHistory() == null
                || m.motionHistory().strides() == null
                || m.motionHistory().strides().size() != m.motionHistory().count()) {
            problems.add("motionHistory.strides must list motionHistory.count strides");
        } else {
            int previous = 0;
            for (int stride : m.motionHistory().strides()) {
                if (stride <= previous) {
                    problems.add("motionHistory.strides must be positive and increasing: "
                            + m.motionHistory().strides());
                    break;
                }
                previous = stride;
            }
        }
        requireName(problems, "segmentMode", PackManifest.Segmentation.class, m.segmentMode());
        checkMotionHistory(m, problems);
        checkMotionChannels(m, problems);
        PackManifest.SchedulerSpec s = m.scheduler();
        if (s == null) {
            problems.add("scheduler is missing");
        } else {
            requireName(problems, "scheduler.type", SchedulerType.class, s.type());
            PackManifest.ModelSpec denoiser =
                    m.models() == null ? null : m.models().get(ModelKind.DENOISER.key());
            requireName(problems, "scheduler.prediction", PredictionType.class, s.prediction());
            if (ManifestNames.of(PredictionType.class).contains(s.prediction())
                    && !ManifestNames.name(PredictionType.SAMPLE).equals(s.prediction())
                    && denoiser != null
                    && denoiser.inputs().stream().noneMatch(t -> "noisy_latents".equals(t.role()))) {
                problems.add(
                        "a denoiser without a noisy_latents input generates the clean sample directly: scheduler.prediction must be "
                                + ManifestNames.name(PredictionType.SAMPLE) + ", not " + s.prediction());
            }
            requireName(problems, "scheduler.betaSchedule", NoiseSchedule.BetaSchedule.class, s.betaSchedule());
            if (s.steps() < 1 || s.steps() > s.trainTimesteps()) {
                problems.add("scheduler.steps must be 1.." + s.trainTimesteps() + ", not " + s.steps());
            }
        }
        if (m.audio() == null
                || m.audio().sampleRate() != 16_000
                || m.audio().hopSamples() < 1
                || m.audio().windowSamples() < m.audio().hopSamples()
                || m.audio().melBands() < 1
                || m.audio().contextFrames() < 1) {
            problems.add(
                    "audio needs sampleRate 16000, windowSamples >= hopSamples >= 1, melBands >= 1, contextFrames >= 1");
        }
        if (m.models() == null) {
            problems.add("models is missing");
        } else {
            Set<String> expected = new TreeSet<>();
            for (ModelKind k : ModelKind.values()) {
                expected.add(k.key());
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(m.models().keySet());
            Set<String> unknown = new TreeSet<>(m.models().keySet());
            unknown.removeAll(expected);
            if (!missing.isEmpty()) {
                problems.add("models lacks " + missing);
            }
            if (!unknown.isEmpty()) {
                problems.add("models has unknown entries " + unknown + " (expected " + expected + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new PackValidationException("Model pack " + m.name() + ": " + String.join("; ", problems));
        }
    }

    /** Graphs above this size are never a lone Identity node: not worth parsing. */
    private static final long IDENTITY_GRAPH_MAX_BYTES = 64 * 1024;

    /**
     * Whether the model is one Identity node from its only input to its only output (an identity VAE,
     * as in the reference pack): running it would only copy, so {@link ModelPack#isIdentity} lets the
     * caller skip it.
     */
    static boolean isIdentity(Path file) {
        try {
            if (Files.size(file) > IDENTITY_GRAPH_MAX_BYTES) {
                return false;
            }
            OnnxMl.GraphProto graph =
                    OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
            return graph.getNodeCount() == 1
                    && graph.getInputCount() == 1
                    && graph.getOutputCount() == 1
                    && graph.getNode(0).getOpType().equals("Identity")
                    && graph.getNode(0).getDomain().isEmpty()
                    && graph.getNode(0)
                            .getInputList()
                            .equals(List.of(graph.getInput(0).getName()))
                    && graph.getNode(0)
                            .getOutputList()
                            .equals(List.of(graph.getOutput(0).getName()));
        } catch (IOException e) {
            return false; // ONNX Runtime opened it; whatever this reader cannot parse is simply run
        }
    }

    private static ModelPack.LoadedModel validateModel(
            PackManifest m, ModelKind kind, PackManifest.ModelSpec spec, OrtSession session, boolean identity) {
        Map<String, String> inputRoles =
                checkRoles(m, kind, "input", spec.inputs(), kind.requiredInputs(), kind.optionalInputs());
        Map<String, String> outputRoles = checkRoles(m, kind, "output", spec.outputs(), kind.outputs(), Set.of());
        try {
            checkTensors(m, kind, spec, "input", spec.inputs(), session.getInputInfo());
            checkTensors(m, kind, spec, "output", spec.outputs(), session.getOutputInfo());
        } catch (OrtException e) {
            throw new PackValidationException(
                    "Model pack " + m.name() + ": cannot read the metadata of " + spec.file() + ": " + e.getMessage(),
                    e);
        }
        Set<String> fp16 = new HashSet<>();
        spec.inputs().stream().filter(t -> t.dtype().equals("float16")).forEach(t -> fp16.add(t.role()));
        boolean floatOutputs = spec.outputs().stream().allMatch(t -> "float32".equals(t.dtype()));
        return new ModelPack.LoadedModel(session, inputRoles, outputRoles, Set.copyOf(fp16), floatOutputs, identity);
    }

    private static Map<String, String> checkRoles(
            PackManifest m,
            ModelKind kind,
            String direction,
            List<PackManifest.TensorSpec> tensors,
            Set<String> required,
            Set<String> optional) {
        Map<String, String> byRole = new HashMap<>();
        for (PackManifest.TensorSpec t : tensors == null ? List.<PackManifest.TensorSpec>of() : tensors) {
            if (!required.contains(t.role()) && !optional.contains(t.role())) {
                throw invalid(
                        m,
                        kind,
                        direction + " role \"" + t.role() + "\" is not one of "
                                + new TreeSet<>(union(required, optional)));
            }
            if (byRole.put(t.role(), t.name()) != null) {
                throw invalid(m, kind, direction + " role \"" + t.role() + "\" is mapped twice");
            }
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(byRole.keySet());
        if (!missing.isEmpty()) {
            throw invalid(m, kind, "pack.json maps no " + direction + " to the required role(s) " + missing);
        }
        return byRole;
    }

    private static void checkTensors(
            PackManifest m,
            ModelKind kind,
            PackManifest.ModelSpec spec,
            String direction,
            List<PackManifest.TensorSpec> declared,
            Map<String, NodeInfo> actual) {
        Set<String> declaredNames = new HashSet<>();
        for (PackManifest.TensorSpec t : declared) {
            declaredNames.add(t.name());
            NodeInfo info = actual.get(t.name());
            if (info == null) {
                throw invalid(
                        m,
                        kind,
                        direction + " \"" + t.name() + "\" (role " + t.role() + ") is not in " + spec.file()
                                + ", whose " + direction + "s are " + new TreeSet<>(actual.keySet()));
            }
            if (!(info.getInfo() instanceof TensorInfo tensor)) {
                throw invalid(m, kind, direction + " \"" + t.name() + "\" in " + spec.file() + " is not a tensor");
            }
            String expected = t.dtype() + describe(t.shape());
            String found = dtype(tensor.type) + describe(tensor);
            if (!t.dtype().equals(dtype(tensor.type)) || !shapeMatches(t.shape(), tensor)) {
                throw invalid(
                        m,
                        kind,
                        direction + " \"" + t.name() + "\" (role " + t.role() + "): pack.json declares " + expected
                                + " but " + spec.file() + " has " + found);
            }
        }
        Set<String> undeclared = new TreeSet<>(actual.keySet());
        undeclared.removeAll(declaredNames);
        if (!undeclared.isEmpty()) {
            throw invalid(
                    m,
                    kind,
                    spec.file() + " has " + direction + "(s) " + undeclared + " that pack.json does not map to a role");
        }
    }

    private static boolean shapeMatches(List<Object> declared, TensorInfo tensor) {
        long[] dims = tensor.getShape();
        if (declared.size() != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            Object d = declared.get(i);
            if (d instanceof Number n) {
                if (dims[i] != n.longValue()) {
                    return false;
                }
            } else if (dims[i] >= 0) {
                return false; // symbolic in pack.json, fixed in the file
            }
        }
        return true;
    }

    private static String describe(List<Object> shape) {
        List<String> dims = new ArrayList<>();
        shape.forEach(d -> dims.add(String.valueOf(d)));
        return "[" + String.join(", ", dims) + "]";
    }

    private static String describe(TensorInfo tensor) {
        long[] dims = tensor.getShape();
        String[] names = tensor.getDimensionNames();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            out.add(
                    dims[i] >= 0
                            ? Long.toString(dims[i])
                            : names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static String dtype(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> "float32";
            case FLOAT16 -> "float16";
            case INT64 -> "int64";
            case INT32 -> "int32";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** Adds a problem unless {@code name} names one of {@code type}'s constants. */
    private static <E extends Enum<E>> void requireName(
            List<String> problems, String field, Class<E> type, String name) {
        List<String> names = ManifestNames.of(type);
        if (!names.contains(name)) {
            problems.add(field + " must be one of " + names + ", not " + name);
        }
    }

    private static PackValidationException invalid(PackManifest m, ModelKind kind, String problem) {
        return new PackValidationException("Model pack " + m.name() + ", model " + kind.key() + ": " + problem);
    }
}
