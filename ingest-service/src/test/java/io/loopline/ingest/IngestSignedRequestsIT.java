package io.loopline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.auth.RequestSignature;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.Mode;
import io.loopline.events.ObjectRef;
import io.loopline.events.RequestFailed;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An ingest holding tenant keys ({@code ingest.tenant.keys.file}): only requests signed with a key of the tenant
 * they name go on; any other is refused as REQUEST_UNAUTHENTICATED before storage is read, saying nothing about
 * the objects it names; the keys file is read again when it changes (rotation).
 */
class IngestSignedRequestsIT {

    private static final Path MEDIA = Path.of("src/test/resources/media");
    private static final Duration WAIT = Duration.ofMinutes(3);

    private static final byte[] ACME_KEY = key(1);
    private static final byte[] ACME_NEXT_KEY = key(2);
    private static final byte[] GLOBEX_KEY = key(3);

    private static EmbeddedInfrastructure infra;
    private static IngestConfig config;
    private static IngestService service;
    private static Path keysFile;
    private static ObjectRef acmeImage;
    private static ObjectRef acmeAudio;
    private static ObjectRef globexImage;

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }

    private static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    @BeforeAll
    static void start() throws IOException {
        infra = EmbeddedInfrastructure.start();
        keysFile = Files.createTempFile("tenant-keys", ".properties");
        writeKeys("acme=" + base64(ACME_KEY) + "\nglobex=" + base64(GLOBEX_KEY) + "\n");
        config = new IngestConfig(TestClusters.settings(
                infra, IngestConfig.SERVICE, java.util.Map.of(IngestConfig.TENANT_KEYS_FILE, keysFile.toString())));
        service = new IngestService(config);
        service.start();
        ObjectStore store = new ObjectStore(config.storageSettings());
        acmeImage = store.put(
                store.inputsBucket(), "acme/face.jpg", MEDIA.resolve("good/photo-grace-hopper.jpg"), "image/jpeg");
        acmeAudio = store.put(store.inputsBucket(), "acme/speech.m4a", MEDIA.resolve("good/speech.m4a"), "audio/mp4");
        globexImage = store.put(
                store.inputsBucket(), "globex/secret.jpg", MEDIA.resolve("good/photo-astronaut.jpg"), "image/jpeg");
    }

    @AfterAll
    static void stop() throws IOException {
        if (service != null) {
            service.stop();
        }
        infra.close();
        Files.deleteIfExists(keysFile);
    }

    /** Replaces the keys file at once, as a rotated Secret does. */
    private static void writeKeys(String text) throws IOException {
        Path next = Files.createTempFile(keysFile.getParent(), "tenant-keys", ".next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, keysFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static GenerationRequest request(String id, String tenant, ObjectRef image, ObjectRef audio, byte[] key) {
        GenerationRequest request = GenerationRequest.newBuilder()
                .setRequestId(id)
                .setTenant(tenant)
                .setRequestedAt(SampleEvents.REQUESTED_AT)
                .setImage(image)
                .setAudio(audio)
                .setOptions(GenerationOptions.newBuilder()
                        .setMode(Mode.PORTRAIT)
                        .setOutputSize(256)
                        .build())
                .build();
        if (key != null) {
            request.setSignature(RequestSignature.sign(request, key));
        }
        TestClusters.publish(config, Topics.REQUESTS, id, request);
        return request;
    }

    /** The request's outcome: its media.validated or its failure, whichever comes. */
    private static Object outcome(String requestId) {
        Topic<MediaValidated> validated = config.topicCatalog().topic(Topics.MEDIA_VALIDATED);
        Topic<RequestFailed> failed = config.topicCatalog().topic(Topics.REQUESTS_FAILED);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Topic<?> topic : java.util.List.of(validated, failed)) {
                for (ConsumerRecord<byte[], byte[]> r :
                        TestClusters.read(config, topic.name(), 0, Duration.ofMillis(500))) {
                    Object value = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
                    if (requestId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        return value;
                    }
                }
            }
        }
        throw new AssertionError("No outcome for " + requestId);
    }

    private static RequestFailed refused(String requestId) {
        Object outcome = outcome(requestId);
        assertThat(outcome).as("outcome of %s", requestId).isInstanceOf(RequestFailed.class);
        return (RequestFailed) outcome;
    }

    @Test
    void aRequestSignedWithItsTenantsKeyIsValidated() {
        request("signed-1", "acme", acmeImage, acmeAudio, ACME_KEY);
        assertThat(outcome("signed-1")).isInstanceOf(MediaValidated.class);
    }

    @Test
    void unsignedAndWronglySignedRequestsAreRefused() {
        request("unsigned-1", "acme", acmeImage, acmeAudio, null);
        request("other-key-1", "acme", acmeImage, acmeAudio, GLOBEX_KEY);
        request("no-such-tenant-1", "initech", acmeImage, acmeAudio, ACME_KEY);
        for (String id : new String[] {"unsigned-1", "other-key-1", "no-such-tenant-1"}) {
            RequestFailed failed = refused(id);
            assertThat(failed.getErrorCode()).as(id).isEqualTo("REQUEST_UNAUTHENTICATED");
            assertThat(failed.getRetryable()).isFalse();
        }
    }

    @Test
    void aRequestClaimingAnotherTenantIsRefusedWithoutTellingAnythingAboutItsObjects() {
        // Acme's producer names globex and globex's image, with a wrong digest: were storage read first, the
        // refusal would be INPUT_CHANGED and could tell the object's size.
        ObjectRef forged = ObjectRef.newBuilder(globexImage)
                .setSha256("00".repeat(32))
                .setSize(1)
                .build();
        request("claims-globex-1", "globex", forged, acmeAudio, ACME_KEY);
        RequestFailed failed = refused("claims-globex-1");
        assertThat(failed.getErrorCode()).isEqualTo("REQUEST_UNAUTHENTICATED");
        assertThat(failed.getMessage())
                .isEqualTo("The request is not signed with a key of tenant \"globex\"; sign it with the key your"
                        + " operators gave you (docs/events.md, signed requests).")
                .doesNotContain(String.valueOf(globexImage.getSize()));
        assertThat(failed.getDetails()).isEmpty();
    }

    @Test
    void aRotatedKeysFileIsReadAgain() throws IOException {
        writeKeys("acme=" + base64(ACME_NEXT_KEY) + "," + base64(ACME_KEY) + "\n");
        request("rotating-1", "acme", acmeImage, acmeAudio, ACME_NEXT_KEY);
        assertThat(outcome("rotating-1")).isInstanceOf(MediaValidated.class);
        writeKeys("acme=" + base64(ACME_NEXT_KEY) + "\nglobex=" + base64(GLOBEX_KEY) + "\n");
        request("retired-key-1", "acme", acmeImage, acmeAudio, ACME_KEY);
        assertThat(refused("retired-key-1").getErrorCode()).isEqualTo("REQUEST_UNAUTHENTICATED");
        writeKeys("acme=" + base64(ACME_KEY) + "\nglobex=" + base64(GLOBEX_KEY) + "\n");
    }
}
