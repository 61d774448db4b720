package io.loopline.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loopline.core.testing.TestStores;
import io.loopline.embedded.EmbeddedS3;
import io.loopline.events.ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store against a real S3-compatible server (S3Proxy, signatures checked) with the MinIO SDK. */
class ObjectStoreIT {

    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.inMemory().start();
        store = TestStores.on(s3);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void bucketsAreEnsuredIdempotently() {
        store.ensureBuckets();
        assertThat(store.list("loopline-work", "nobody/")).isEmpty();
        store.put("loopline-work", "nobody/r/ingest/x", new byte[] {1}, "application/octet-stream");
        store.ensureBuckets();
        assertThat(store.list("loopline-work", "nobody/")).containsExactly("nobody/r/ingest/x");
    }

    @Test
    void smallObjectsRoundTripWithTheirDigest() throws Exception {
        byte[] body = "hello, portrait".getBytes(StandardCharsets.UTF_8);
        ObjectRef ref = store.put("loopline-work", "acme/r1/ingest/hello.txt", body, "text/plain");
        assertThat(ref.getSize()).isEqualTo(body.length);
        assertThat(ref.getSha256()).isEqualTo(Sha256.of(body));
        assertThat(store.readAllBytes(ref)).isEqualTo(body);
        assertThat(store.stat("loopline-work", "acme/r1/ingest/hello.txt")).hasValueSatisfying(info -> {
            assertThat(info.size()).isEqualTo(body.length);
            assertThat(info.sha256()).contains(ref.getSha256());
        });
        assertThat(store.stat("loopline-work", "acme/r1/ingest/missing.txt")).isEmpty();
    }

    @Test
    void largeStreamsUploadInPartsAndDownloadVerified(@TempDir Path dir) throws Exception {
        long size = 12L * 1024 * 1024 + 12345; // > 5 MiB: multipart
        Path source = dir.resolve("big.bin");
        writeRandom(source, size, 1);

        ObjectRef streamed;
        try (InputStream in = Files.newInputStream(source)) {
            streamed = store.put("loopline-work", "acme/r1/render/big-stream.bin", in, -1, "application/octet-stream");
        }
        assertThat(streamed.getSize()).isEqualTo(size);
        assertThat(streamed.getSha256()).isEqualTo(Sha256.of(source));
        // S3 gives multipart objects an etag "<md5 of part md5s>-<parts>".
        assertThat(store.stat("loopline-work", streamed.getKey()).orElseThrow().etag())
                .matches("\"?[0-9a-f]+-2\"?");

        ObjectRef uploaded =
                store.put("loopline-work", "acme/r1/render/big-file.bin", source, "application/octet-stream");
        assertThat(uploaded.getSha256()).isEqualTo(streamed.getSha256());
        assertThat(store.stat("loopline-work", uploaded.getKey()).orElseThrow().etag())
                .contains("-");

        Path copy = dir.resolve("copy.bin");
        store.download(uploaded, copy);
        assertThat(Sha256.of(copy)).isEqualTo(uploaded.getSha256());
        assertThat(Files.size(copy)).isEqualTo(size);
    }

    @Test
    void aPresignedGetIsFetchedOverPlainHttp() throws Exception {
        byte[] video = new byte[300_000];
        new Random(7).nextBytes(video);
        ObjectRef ref = store.put("loopline-outputs", "acme/r1/mux/video.mp4", video, "video/mp4");
        var url = store.presignGet(ref, Duration.ofMinutes(10));
        assertThat(url.getQuery()).contains("X-Amz-Signature");

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> response =
                http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(video);

        var tampered = URI.create(url.toString().replace("video.mp4", "other.mp4"));
        HttpResponse<byte[]> refused =
                http.send(HttpRequest.newBuilder(tampered).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThatThrownBy(() -> store.presignGet(ref, Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingObjectsAndChangedBytesAreTyped() throws Exception {
        ObjectRef missing = ObjectRef.newBuilder()
                .setBucket("loopline-inputs")
                .setKey("acme/none.jpg")
                .setSha256("00")
                .setSize(1)
                .build();
        assertThatThrownBy(() -> store.open(missing)).isInstanceOf(ObjectNotFoundException.class);

        ObjectRef real = store.put("loopline-inputs", "acme/face.jpg", new byte[] {1, 2, 3}, "image/jpeg");
        ObjectRef wrongDigest =
                ObjectRef.newBuilder(real).setSha256(Sha256.of(new byte[] {9})).build();
        assertThatThrownBy(() -> store.readAllBytes(wrongDigest))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("SHA-256");
        ObjectRef wrongSize = ObjectRef.newBuilder(real).setSize(4).build();
        assertThatThrownBy(() -> store.readAllBytes(wrongSize))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("bytes");
    }

    @Test
    void anUnreachableStoreIsATransientFault() {
        ObjectStore down = new ObjectStore(new StorageSettings(
                "http://127.0.0.1:1",
                "us-east-1",
                "a",
                "b",
                "loopline-inputs",
                "loopline-work",
                "loopline-outputs",
                true));
        assertThatThrownBy(() -> down.put("loopline-work", "acme/x", new byte[1], "application/octet-stream"))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("upload");
    }

    private static void writeRandom(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
    }
}
