package io.loopline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.Mode;
import io.loopline.events.MouthRest;
import io.loopline.events.ObjectRef;
import io.loopline.events.RequestFailed;
import io.loopline.events.Stage;
import io.loopline.events.Warning;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.Topics;
import io.loopline.tensor.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest service end to end against the in-process broker and S3 server: every file of the test
 * corpus (media/corpus.tsv) is uploaded, requested, and must come out as media.validated or as
 * requests.failed with its expected code and sentence, while the service keeps consuming.
 */
class IngestCorpusIT {

    private static final Path MEDIA = Path.of("src/test/resources/media");
    private static final String TENANT = "acme";
    private static final Duration WAIT = Duration.ofMinutes(4);

    private static EmbeddedInfrastructure infra;
    private static IngestConfig config;
    private static IngestService service;
    private static ObjectStore store;
    private static final Map<String, ObjectRef> uploads = new HashMap<>();

    record Entry(String file, String role, String expected, String fragment, String mouth) {}

    @BeforeAll
    static void start() throws IOException {
        infra = EmbeddedInfrastructure.start();
        Map<String, String> settings =
                TestClusters.settings(infra, IngestConfig.SERVICE, Map.of(IngestConfig.WORKERS, "2"));
        config = new IngestConfig(settings);
        service = new IngestService(config);
        service.start();
        store = new ObjectStore(config.storageSettings());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.stop();
        }
        infra.close();
    }

    static List<Entry> corpus() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(MEDIA.resolve("corpus.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            entries.add(new Entry(f[0], f[1], f[2], f[3], f.length > 4 ? f[4] : "-"));
        }
        return entries;
    }

    static ObjectRef upload(String file) throws IOException {
        ObjectRef ref = uploads.get(file);
        if (ref == null) {
            ref = store.put(
                    store.inputsBucket(), TENANT + "/uploads/" + file, MEDIA.resolve(file), "application/octet-stream");
            uploads.put(file, ref);
        }
        return ref;
    }

    static GenerationRequest request(String requestId, ObjectRef image, ObjectRef audio, GenerationOptions options) {
        return GenerationRequest.newBuilder()
                .setRequestId(requestId)
                .setTenant(TENANT)
                .setRequestedAt(SampleEvents.REQUESTED_AT)
                .setImage(image)
                .setAudio(audio)
                .setOptions(options)
                .build();
    }

    static GenerationOptions options() {
        return GenerationOptions.newBuilder()
                .setMode(Mode.PORTRAIT)
                .setOutputSize(512)
                .setSeed(1)
                .build();
    }

    static void publish(GenerationRequest request) {
        TestClusters.publish(config, Topics.REQUESTS, request.getRequestId(), request);
    }

    /** Outcomes by request id: MediaValidated or RequestFailed, read until {@code requests} requests have one. */
    static Map<String, SpecificRecord> outcomes(int requests) {
        TopicCatalog catalog = config.topicCatalog();
        Topic<MediaValidated> validated = catalog.topic(Topics.MEDIA_VALIDATED);
        Topic<RequestFailed> failed = catalog.topic(Topics.REQUESTS_FAILED);
        Map<String, SpecificRecord> byId = new HashMap<>();
        int wanted = requests;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (byId.size() < requests && System.nanoTime() < deadline) {
            byId.clear();
            List<ConsumerRecord<byte[], byte[]>> records =
                    TestClusters.read(config, List.of(validated.name(), failed.name()), wanted, WAIT);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                SpecificRecord event = r.topic().equals(validated.name())
                        ? validated.valueSerde().deserializer().deserialize(r.topic(), r.value())
                        : failed.valueSerde().deserializer().deserialize(r.topic(), r.value());
                // At-least-once: a record redelivered after a rebalance may yield its outcome twice, never another.
                byId.merge(new String(r.key(), StandardCharsets.UTF_8), event, (x, y) -> {
                    if (!x.equals(y)) {
                        throw new AssertionError("Two different outcomes for one request: " + x + " / " + y);
                    }
                    return x;
                });
            }
            wanted = records.size() + (requests - byId.size());
        }
        return byId;
    }

    @Test
    void everyCorpusFileYieldsItsExpectedOutcomeAndTheServiceKeepsConsuming() throws IOException {
        List<Entry> corpus = corpus();
        assertThat(corpus.stream().filter(e -> !e.expected().equals("OK")).count())
                .as("bad inputs in the corpus")
                .isGreaterThanOrEqualTo(22);
        ObjectRef goodImage = upload("good/photo-grace-hopper.jpg");
        ObjectRef goodAudio = upload("good/speech.wav");
        Map<String, Entry> byRequest = new HashMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            Entry e = corpus.get(i);
            String id = "corpus-" + i;
            byRequest.put(id, e);
            ObjectRef file = upload(e.file());
            publish(request(
                    id,
                    e.role().equals("image") ? file : goodImage,
                    e.role().equals("audio") ? file : goodAudio,
                    options()));
        }

        Map<String, SpecificRecord> outcomes = outcomes(corpus.size());
        assertThat(outcomes).hasSize(corpus.size());
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Entry> r : byRequest.entrySet()) {
            Entry e = r.getValue();
            SpecificRecord outcome = outcomes.get(r.getKey());
            String actual = outcome instanceof RequestFailed f
                    ? f.getErrorCode() + ": " + f.getMessage()
                    : "OK "
                            + ((MediaValidated) outcome)
                                    .getWarnings().stream()
                                            .map(Warning::getCode)
                                            .toList();
            boolean codeMatches = e.expected().equals("OK")
                    ? outcome instanceof MediaValidated
                    : actual.startsWith(e.expected() + ":");
            boolean fragmentMatches = e.fragment().equals("-") || actual.contains(e.fragment());
            if (!codeMatches || !fragmentMatches) {
                mismatches.add(e.file() + " expected " + e.expected() + " (" + e.fragment() + ") but got " + actual);
            }
            if (outcome instanceof RequestFailed f) {
                assertThat(f.getStage()).isEqualTo(Stage.INGEST);
                assertThat(f.getRetryable()).isFalse();
                assertThat(f.getMessage())
                        .as(e.file())
                        .endsWith(".")
                        .doesNotContain("\n")
                        .hasSizeLessThan(300);
            } else {
                checkNormalizedMedia((MediaValidated) outcome, e);
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(service.isRunning()).isTrue();
    }

    private static void checkNormalizedMedia(MediaValidated v, Entry e) throws IOException {
        assertThat(v.getImageWidth()).isEqualTo(512);
        assertThat(v.getImage().getKey()).isEqualTo(TENANT + "/" + v.getRequestId() + "/ingest/reference.png");
        try (InputStream in = store.open(v.getImage())) {
            byte[] png = in.readAllBytes();
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        } catch (ObjectNotFoundException ex) {
            throw new AssertionError(ex);
        }
        Npy.FloatTensor audio = readNpy(v.getAudio());
        assertThat(audio.shape()).hasSize(1);
        assertThat(audio.shape()[0] * 1000L / 16000).isEqualTo(v.getAudioDurationMs());
        assertThat(v.getAudioDurationMs()).as(e.file()).isBetween(900L, 6500L);
        for (float s : audio.data()) {
            assertThat(s).isBetween(-1f, 1f);
        }
        Npy.FloatTensor landmarks = readNpy(v.getFace().getLandmarks());
        assertThat(landmarks.shape()).containsExactly(468, 3);
        // Lips (13 upper, 14 lower) lie below the eyes (159, 386) and inside the frame.
        float[] l = landmarks.data();
        assertThat(l[13 * 3 + 1]).as("upper lip below eye, %s", e.file()).isGreaterThan(l[159 * 3 + 1]);
        // Closed lips may cross a little in the mesh; ingest accepts up to 0.06 eye distances (NO_MOUTH beyond).
        float eyeDistance = v.getFace().getMouthRest().getEyeDistance();
        assertThat(l[14 * 3 + 1])
                .as("lower lip not above upper lip, %s", e.file())
                .isGreaterThanOrEqualTo(l[13 * 3 + 1] - 0.06f * eyeDistance);
        assertThat(l[13 * 3]).isBetween(0f, 512f);
        assertThat(v.getFace().getBoxWidth()).isBetween(80f, 512f);
        MouthRest mouth = v.getFace().getMouthRest();
        assertThat(mouth).as("mouth rest of %s", e.file()).isNotNull();
        assertThat(mouth.getMouthWidth()).as(e.file()).isBetween(0.5f, 1.3f);
        assertThat(mouth.getLipGapProfile()).hasSize(9);
        assertThat(mouth.getEyeDistance())
                .as("eye distance in reference pixels, %s", e.file())
                .isBetween(40f, 200f);
        if (!e.mouth().equals("-")) {
            assertThat(mouth.getState().name())
                    .as("mouth rest state of %s (%s)", e.file(), mouth)
                    .isEqualTo(e.mouth());
        }
        assertThat(v.getOriginalAudio().getSize())
                .isEqualTo(uploads.get(e.role().equals("audio") ? e.file() : "good/speech.wav")
                        .getSize());
    }

    private static Npy.FloatTensor readNpy(ObjectRef ref) throws IOException {
        try (InputStream in = store.open(ref)) {
            return Npy.read(in);
        } catch (ObjectNotFoundException ex) {
            throw new AssertionError(ex);
        }
    }
}
