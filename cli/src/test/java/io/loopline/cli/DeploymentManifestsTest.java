package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.CreateTopics;
import io.loopline.core.service.ManagementServer;
import io.loopline.feature.FeatureConfig;
import io.loopline.feature.FeatureService;
import io.loopline.ingest.IngestConfig;
import io.loopline.ingest.IngestService;
import io.loopline.mux.MuxConfig;
import io.loopline.packstage.ModelOptions;
import io.loopline.render.RenderConfig;
import io.loopline.render.RenderService;
import io.loopline.schemas.TopicSpec;
import io.loopline.status.StatusConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * docker-compose.yml and every Kubernetes manifest, read with real parsers (SnakeYAML; fabric8's model
 * classes for Kubernetes kinds), checked against the code they deploy: image names against the
 * modules the build makes images of, every {@code LOOPLINE_*} variable against the options the
 * service reads, probe paths and ports against {@link ManagementServer}, KEDA's consumer groups,
 * topics and replica bounds against the services' group ids, the topic catalog and partition counts.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final ObjectMapper KUBERNETES =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    /** Compose's {@code !reset} tag (remove what the file before set). */
    private static final String RESET = "!reset";

    /** A Loopline service as the code defines it. */
    private record Deployed(String name, String module, ConfigDef options, Optional<TopicSpec<?>> scaledOn) {
        String workload() {
            return "loopline-" + name;
        }

        String image(String version) {
            return "loopline/" + module + ":" + version;
        }

        Set<String> variables() {
            return envNames(options);
        }

        String groupId() {
            return (String) options.defaultValues().get(LooplineConfig.WORKER_GROUP_ID);
        }

        /** Whether it runs stage workers (consumer groups of its own, scaled on its input's lag), not Streams. */
        boolean stageWorkers() {
            return scaledOn.isPresent();
        }

        /** Whether it touches object storage (and so reads the storage options and credentials). */
        boolean usesStorage() {
            return options.names().contains(LooplineConfig.S3_SECRET_KEY);
        }
    }

    private static final List<Deployed> SERVICES = List.of(
            new Deployed("ingest", "ingest-service", IngestConfig.configDef(), Optional.of(IngestService.INPUT)),
            new Deployed("feature", "feature-service", FeatureConfig.configDef(), Optional.of(FeatureService.INPUT)),
            new Deployed("render", "render-service", RenderConfig.configDef(), Optional.of(RenderService.INPUT)),
            new Deployed("mux", "mux-service", MuxConfig.configDef(), Optional.empty()),
            new Deployed("status", "status-service", StatusConfig.configDef(), Optional.empty()));

    private static Deployed service(String name) {
        return SERVICES.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No service " + name));
    }

    private static String version;

    @BeforeAll
    static void projectVersion() throws Exception {
        var pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile());
        var children = pom.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if ("version".equals(children.item(i).getNodeName())) {
                version = children.item(i).getTextContent().trim();
            }
        }
        assertThat(version).isNotBlank();
    }

    // ---------------------------------------------------------------- docker compose

    @Test
    void composeRunsTheImagesTheBuildMakesWithGpuRenderAndACpuOverride() throws IOException {
        Map<String, Object> services = map(loadOne(ROOT.resolve("docker-compose.yml")), "services");
        for (Deployed d : SERVICES) {
            String expected = d.name().equals("render") ? "loopline/render-service-gpu:" + version : d.image(version);
            assertThat(map(services, d.name()).get("image"))
                    .as("%s's image", d.name())
                    .isEqualTo(expected);
        }
        List<Object> devices =
                list(map(map(map(map(services, "render"), "deploy"), "resources"), "reservations"), "devices");
        assertThat(devices).singleElement().satisfies(device -> {
            assertThat(((Map<?, ?>) device).get("driver")).isEqualTo("nvidia");
            assertThat((List<Object>) ((Map<?, ?>) device).get("capabilities")).contains("gpu");
        });
        assertThat(map(map(services, "render"), "environment"))
                .containsEntry(ConfigSources.envName(ModelOptions.DEVICE), "cuda");

        Map<String, Object> cpu = map(map(loadOne(ROOT.resolve("docker-compose.cpu.yml")), "services"), "render");
        assertThat(cpu.get("image")).isEqualTo("loopline/render-service:" + version);
        assertThat(cpu.get("deploy")).as("the GPU reservation is reset").isEqualTo(RESET);
        assertThat(map(cpu, "environment")).containsEntry(ConfigSources.envName(ModelOptions.DEVICE), "cpu");
        assertThat(map(cpu, "environment").keySet())
                .isSubsetOf(service("render").variables());
    }

    @Test
    void composeRunsThirdPartyImagesPinnedToAVersion() throws IOException {
        Map<String, Object> services = map(loadOne(ROOT.resolve("docker-compose.yml")), "services");
        List<String> thirdParty = services.values().stream()
                .map(s -> String.valueOf(((Map<?, ?>) s).get("image")))
                .filter(image -> !image.startsWith("loopline/"))
                .toList();
        assertThat(thirdParty)
                .isNotEmpty()
                .allSatisfy(image -> assertThat(image)
                        .as("an image pinned to a version, not a moving tag")
                        .matches("[^:]+:[^:]+")
                        .doesNotEndWith(":latest"));
    }

    @Test
    void composeEnvironmentIsExactlyWhatTheServicesReadAndTheyProbeTheManagementPort() throws IOException {
        Map<String, Object> services = map(loadOne(ROOT.resolve("docker-compose.yml")), "services");
        for (Deployed d : SERVICES) {
            Map<String, Object> service = map(services, d.name());
            Set<String> environment = map(service, "environment").keySet();
            assertThat(environment)
                    .as("%s's environment", d.name())
                    .isSubsetOf(d.variables())
                    .containsAll(requiredVariables(d.options()));
            assertThat(list(map(service, "healthcheck"), "test"))
                    .as("%s's health check", d.name())
                    .contains("http://localhost:" + LooplineConfig.DEFAULT_MANAGEMENT_PORT + ManagementServer.READY);
            assertThat(map(map(service, "depends_on"), "topics"))
                    .containsEntry("condition", "service_completed_successfully");
        }
        Map<String, Object> topics = map(services, "topics");
        assertThat(list(topics, "entrypoint")).last().isEqualTo(CreateTopics.class.getName());
        assertThat(map(topics, "environment").keySet()).isSubsetOf(envNames(LooplineConfig.kafkaConfigDef("topics")));
        String buckets = String.valueOf(map(services, "minio-buckets").get("entrypoint"));
        for (String bucket : List.of(
                LooplineConfig.S3_BUCKET_INPUTS, LooplineConfig.S3_BUCKET_WORK, LooplineConfig.S3_BUCKET_OUTPUTS)) {
            assertThat(buckets)
                    .contains("local/"
                            + LooplineConfig.configDef("any").defaultValues().get(bucket));
        }
    }

    // ---------------------------------------------------------------- Kubernetes

    /** Every manifest under k8s/, by file, parsed. */
    private static Map<Path, List<Map<String, Object>>> manifests() throws IOException {
        Map<Path, List<Map<String, Object>>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                out.put(file, loadAll(file));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** The documents of a kustomization's own files (not those of the bases it includes), by kind and name. */
    private static Map<String, Map<String, Object>> resourcesOf(Path kustomizationDir, String key) throws IOException {
        Map<String, Object> kustomization = loadOne(kustomizationDir.resolve("kustomization.yaml"));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object entry : kustomization.containsKey(key) ? list(kustomization, key) : List.of()) {
            String path = entry instanceof Map<?, ?> m ? (String) m.get("path") : (String) entry;
            Path file = kustomizationDir.resolve(path).normalize();
            assertThat(file).as("%s of %s", key, kustomizationDir).exists();
            if (Files.isRegularFile(file)) {
                for (Map<String, Object> doc : loadAll(file)) {
                    out.put(doc.get("kind") + "/" + map(doc, "metadata").get("name"), doc);
                }
            } else {
                assertThat(file.resolve("kustomization.yaml")).exists();
            }
        }
        return out;
    }

    @Test
    void everyManifestParsesAsItsKubernetesKind() throws IOException {
        for (var file : manifests().entrySet()) {
            for (Map<String, Object> doc : file.getValue()) {
                String kind = (String) doc.get("kind");
                assertThat(kind).as("kind in %s", file.getKey()).isNotNull();
                Class<?> type = switch (kind) {
                    case "Deployment" -> Deployment.class;
                    case "Service" -> Service.class;
                    case "PodDisruptionBudget" -> PodDisruptionBudget.class;
                    case "ConfigMap" -> ConfigMap.class;
                    case "Job" -> Job.class;
                    case "ScaledObject", "Kustomization" ->
                        null; // KEDA's and kustomize's kinds: checked field by field below
                    default -> throw new AssertionError("Unexpected kind " + kind + " in " + file.getKey());
                };
                if (type != null) {
                    KUBERNETES.convertValue(doc, type); // unknown or mistyped fields fail here
                }
            }
        }
    }

    @Test
    void deploymentsRunTheServicesImagesWithTheirOptionsProbesAndDisruptionBudgets() throws IOException {
        Map<String, Map<String, Object>> base = resourcesOf(ROOT.resolve("k8s/base"), "resources");
        ConfigMap kafka = KUBERNETES.convertValue(base.get("ConfigMap/loopline-kafka"), ConfigMap.class);
        ConfigMap storage = KUBERNETES.convertValue(base.get("ConfigMap/loopline-storage"), ConfigMap.class);
        assertThat(kafka.getData().keySet())
                .as("options of every service")
                .isSubsetOf(envNames(LooplineConfig.kafkaConfigDef("any")));
        assertThat(storage.getData().keySet())
                .as("storage options")
                .isSubsetOf(envNames(LooplineConfig.configDef("any")))
                .doesNotContainAnyElementsOf(envNames(LooplineConfig.kafkaConfigDef("any")));
        for (Deployed d : SERVICES) {
            Deployment deployment = KUBERNETES.convertValue(base.get("Deployment/" + d.workload()), Deployment.class);
            assertThat(deployment).as(d.workload()).isNotNull();
            Map<String, String> podLabels =
                    deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(podLabels)
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            Container c =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getImage()).isEqualTo(d.image(version));

            List<String> configMaps =
                    d.usesStorage() ? List.of("loopline-kafka", "loopline-storage") : List.of("loopline-kafka");
            assertThat(c.getEnvFrom())
                    .extracting(from -> from.getConfigMapRef().getName())
                    .as("%s's ConfigMaps", d.workload())
                    .containsExactlyElementsOf(configMaps);
            Set<String> variables = new TreeSet<>(kafka.getData().keySet());
            if (d.usesStorage()) {
                variables.addAll(storage.getData().keySet());
            }
            c.getEnv().forEach(e -> variables.add(e.getName()));
            assertThat(variables)
                    .as("%s's variables", d.workload())
                    .isSubsetOf(d.variables())
                    .containsAll(requiredVariables(d.options()));
            assertThat(c.getEnv().stream()
                            .filter(e ->
                                    e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                            .map(e -> e.getValueFrom().getSecretKeyRef().getName()))
                    .as("%s's credentials from the Secret", d.workload())
                    .containsExactlyElementsOf(d.usesStorage() ? List.of("loopline-s3", "loopline-s3") : List.of());
            // The stage workers join their groups as static members named after the pod (docs/deploy.md).
            assertThat(c.getEnv().stream()
                            .filter(e -> e.getName().equals(ConfigSources.envName(LooplineConfig.WORKER_INSTANCE_ID)))
                            .map(e -> e.getValueFrom().getFieldRef().getFieldPath()))
                    .as("%s's static membership id", d.workload())
                    .containsExactlyElementsOf(d.stageWorkers() ? List.of("metadata.name") : List.of());

            int port = c.getPorts().stream()
                    .filter(p -> "http".equals(p.getName()))
                    .findFirst()
                    .orElseThrow()
                    .getContainerPort();
            assertThat(port).isEqualTo(LooplineConfig.DEFAULT_MANAGEMENT_PORT);
            assertProbe(c.getLivenessProbe(), ManagementServer.LIVE);
            assertProbe(c.getStartupProbe(), ManagementServer.LIVE);
            assertProbe(c.getReadinessProbe(), ManagementServer.READY);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/port", Integer.toString(port))
                    .containsEntry("prometheus.io/path", ManagementServer.METRICS);
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");

            Service service = KUBERNETES.convertValue(base.get("Service/" + d.workload()), Service.class);
            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                    .isEqualTo("http");
            PodDisruptionBudget pdb =
                    KUBERNETES.convertValue(base.get("PodDisruptionBudget/" + d.workload()), PodDisruptionBudget.class);
            assertThat(podLabels)
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        }
        for (var streamsApp : Map.of("loopline-mux", MuxConfig.STATE_DIR, "loopline-status", StatusConfig.STATE_DIR)
                .entrySet()) {
            Container c = KUBERNETES
                    .convertValue(base.get("Deployment/" + streamsApp.getKey()), Deployment.class)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            String stateDir = env(c, streamsApp.getValue()).orElseThrow();
            assertThat(c.getVolumeMounts())
                    .as("%s's Streams state on a volume", streamsApp.getKey())
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(stateDir));
        }

        Job topics = KUBERNETES.convertValue(base.get("Job/loopline-topics"), Job.class);
        Container creator =
                topics.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(creator.getCommand()).last().isEqualTo(CreateTopics.class.getName());
        assertThat(creator.getEnvFrom())
                .extracting(from -> from.getConfigMapRef().getName())
                .as("topics are created with the Kafka options alone")
                .containsExactly("loopline-kafka");
        assertThat(creator.getEnv()).as("no credentials for creating topics").isNullOrEmpty();
    }

    @Test
    void kedaScalesEachStageOnItsOwnGroupAndTopicWithinItsPartitionsAndNeverToZero() throws IOException {
        Map<String, Map<String, Object>> base = resourcesOf(ROOT.resolve("k8s/base"), "resources");
        for (String overlay : List.of("dev", "gpu")) {
            Map<String, Map<String, Object>> patches = resourcesOf(ROOT.resolve("k8s/overlays/" + overlay), "patches");
            Map<String, String> config = new HashMap<>(KUBERNETES
                    .convertValue(base.get("ConfigMap/loopline-kafka"), ConfigMap.class)
                    .getData());
            if (patches.containsKey("ConfigMap/loopline-kafka")) {
                config.putAll(KUBERNETES
                        .convertValue(patches.get("ConfigMap/loopline-kafka"), ConfigMap.class)
                        .getData());
            }
            String prefix = config.getOrDefault(ConfigSources.envName(LooplineConfig.TOPIC_PREFIX), "loopline.");
            for (Deployed d : SERVICES) {
                if (d.scaledOn().isEmpty()) {
                    assertThat(base).doesNotContainKey("ScaledObject/" + d.workload());
                    continue;
                }
                TopicSpec<?> input = d.scaledOn().get();
                Map<String, Object> scaled = new HashMap<>(map(base.get("ScaledObject/" + d.workload()), "spec"));
                if (patches.containsKey("ScaledObject/" + d.workload())) {
                    scaled.putAll(map(patches.get("ScaledObject/" + d.workload()), "spec"));
                }
                String where = overlay + ": " + d.workload();
                assertThat(map(scaled, "scaleTargetRef").get("name")).as(where).isEqualTo(d.workload());
                int partitions = input == RenderService.INPUT
                        ? Integer.parseInt(config.getOrDefault(
                                ConfigSources.envName(LooplineConfig.TOPIC_RENDER_TASKS_PARTITIONS),
                                Integer.toString(input.defaultPartitions())))
                        : input.defaultPartitions();
                assertThat((Integer) scaled.get("minReplicaCount"))
                        .as("%s never scales to zero", where)
                        .isGreaterThanOrEqualTo(1);
                assertThat((Integer) scaled.get("maxReplicaCount"))
                        .as("%s: replicas within %s's partitions", where, input.baseName())
                        .isLessThanOrEqualTo(partitions);
                Map<String, Object> trigger =
                        (Map<String, Object>) list(scaled, "triggers").get(0);
                assertThat(trigger.get("type")).isEqualTo("kafka");
                Map<String, Object> kafka = map(trigger, "metadata");
                assertThat(kafka.get("consumerGroup")).as(where).isEqualTo(d.groupId());
                assertThat(kafka.get("topic")).as(where).isEqualTo(prefix + input.baseName());
                assertThat(kafka.get("bootstrapServersFromEnv"))
                        .isEqualTo(ConfigSources.envName(LooplineConfig.KAFKA_BOOTSTRAP_SERVERS));
                assertThat(config).containsKey(ConfigSources.envName(LooplineConfig.KAFKA_BOOTSTRAP_SERVERS));
                assertThat(kafka)
                        .containsEntry("scaleToZeroOnInvalidOffset", "false")
                        .containsEntry("allowIdleConsumers", "false");
            }
        }
    }

    @Test
    void overlaysPatchWhatTheBaseHasWithOptionsTheServicesReadAndTheGpuOverlayRunsCudaOnAGpu() throws IOException {
        Map<String, Map<String, Object>> base = resourcesOf(ROOT.resolve("k8s/base"), "resources");
        for (String overlay : List.of("dev", "gpu")) {
            Path dir = ROOT.resolve("k8s/overlays/" + overlay);
            assertThat(list(loadOne(dir.resolve("kustomization.yaml")), "resources"))
                    .containsExactly("../../base");
            for (var patch : resourcesOf(dir, "patches").entrySet()) {
                assertThat(base).as("%s patches %s", overlay, patch.getKey()).containsKey(patch.getKey());
                if (patch.getKey().startsWith("Deployment/")) {
                    Deployed d = service(patch.getKey().substring("Deployment/loopline-".length()));
                    Deployment deployment = KUBERNETES.convertValue(patch.getValue(), Deployment.class);
                    if (deployment.getSpec().getTemplate() != null) {
                        for (Container c :
                                deployment.getSpec().getTemplate().getSpec().getContainers()) {
                            assertThat(c.getName()).isEqualTo(d.name());
                            assertThat(c.getEnv().stream().map(EnvVar::getName)).isSubsetOf(d.variables());
                        }
                    }
                }
                if (patch.getKey().startsWith("ConfigMap/")) {
                    ConfigDef options = patch.getKey().equals("ConfigMap/loopline-kafka")
                            ? LooplineConfig.kafkaConfigDef("any")
                            : LooplineConfig.configDef("any");
                    assertThat(KUBERNETES
                                    .convertValue(patch.getValue(), ConfigMap.class)
                                    .getData()
                                    .keySet())
                            .as("%s patches %s with options", overlay, patch.getKey())
                            .isSubsetOf(envNames(options));
                }
            }
        }
        Path gpu = ROOT.resolve("k8s/overlays/gpu");
        List<Object> images = list(loadOne(gpu.resolve("kustomization.yaml")), "images");
        assertThat(images).singleElement().satisfies(i -> {
            assertThat(((Map<?, ?>) i).get("name")).isEqualTo("loopline/render-service");
            assertThat(((Map<?, ?>) i).get("newName")).isEqualTo("loopline/render-service-gpu");
        });
        Deployment render = KUBERNETES.convertValue(
                resourcesOf(gpu, "patches").get("Deployment/loopline-render"), Deployment.class);
        Container c = render.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(env(c, ModelOptions.DEVICE)).contains("cuda");
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe of " + path).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getPath()).isEqualTo(path);
        assertThat(get.getPort().getStrVal()).isEqualTo("http");
    }

    private static Optional<String> env(Container c, String key) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(ConfigSources.envName(key)))
                .map(EnvVar::getValue)
                .findFirst();
    }

    // ---------------------------------------------------------------- helpers

    private static Set<String> envNames(ConfigDef options) {
        return options.names().stream().map(ConfigSources::envName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Options without a default: a deployment must set them. */
    private static Set<String> requiredVariables(ConfigDef options) {
        return options.configKeys().values().stream()
                .filter(k -> !k.hasDefault())
                .map(k -> ConfigSources.envName(k.name))
                .collect(Collectors.toSet());
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        SafeConstructor constructor = new SafeConstructor(options) {
            {
                yamlConstructors.put(new Tag(RESET), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        return RESET;
                    }
                });
            }
        };
        return new Yaml(constructor);
    }

    private static Map<String, Object> loadOne(Path file) throws IOException {
        List<Map<String, Object>> docs = loadAll(file);
        assertThat(docs).as(file.toString()).hasSize(1);
        return docs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> loadAll(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : yaml().loadAll(reader)) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
