package io.loopline.core.storage;

import io.loopline.events.ObjectRef;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object storage over the S3 API (MinIO SDK). Every write returns the {@link ObjectRef} events carry
 * (bucket, key, SHA-256, size); every read through {@link #open(ObjectRef)} verifies them. Uploads and
 * downloads stream: large media are never held in memory whole (uploads buffer one multipart part).
 *
 * <p>Failures are typed for the worker: {@link ObjectNotFoundException} (permanent) or
 * {@link StorageUnavailableException} (transient, retried).
 */
public final class ObjectStore {

    private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);

    /** User-metadata name of the SHA-256 we store with each object we write. */
    public static final String SHA256_METADATA = "sha256";
    /** Part size of streamed uploads of unknown length (S3's minimum is 5 MiB). */
    static final long STREAM_PART_SIZE = 8L * 1024 * 1024;
    /**
     * Transfer checksum the server verifies on upload. CRC32 rather than the SDK's default CRC32C: the JDK
     * computes CRC32 with the CPU's carry-less multiply, the SDK's CRC32C in plain Java (its cost is in
     * docs/performance.md).
     */
    private static final Checksum.Algorithm UPLOAD_CHECKSUM = Checksum.Algorithm.CRC32;

    private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject", "NotFound");

    private final MinioClient client;
    private final StorageSettings settings;

    public ObjectStore(StorageSettings settings) {
        this.settings = settings;
        this.client = MinioClient.builder()
                .endpoint(settings.endpoint())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .httpClient(httpClientFor(settings.endpoint()), false)
                .build();
    }

    /**
     * HTTP clients shared by every store in the process (one connection pool each), made once, lazily.
     * The SDK's default client loads the trust material named by SSL_CERT_FILE / SSL_CERT_DIR every time
     * it is built — hundreds of certificates, seconds of CPU — which only an https endpoint needs.
     */
    private static final class PlainHttp {
        static final okhttp3.OkHttpClient CLIENT = new okhttp3.OkHttpClient.Builder()
                .connectTimeout(Duration.ofMinutes(5))
                .readTimeout(Duration.ofMinutes(5))
                .writeTimeout(Duration.ofMinutes(5))
                .protocols(List.of(okhttp3.Protocol.HTTP_1_1))
                .build();
    }

    private static final class TlsHttp {
        static final okhttp3.OkHttpClient CLIENT = Http.newDefaultClient();
    }

    private static okhttp3.OkHttpClient httpClientFor(String endpoint) {
        return endpoint.regionMatches(true, 0, "https:", 0, 6) ? TlsHttp.CLIENT : PlainHttp.CLIENT;
    }

    public StorageSettings settings() {
        return settings;
    }

    public String inputsBucket() {
        return settings.inputsBucket();
    }

    public String workBucket() {
        return settings.workBucket();
    }

    public String outputsBucket() {
        return settings.outputsBucket();
    }

    /** Creates the inputs, work and outputs buckets that are missing (when configured to). */
    public void ensureBuckets() {
        for (String bucket : List.of(settings.inputsBucket(), settings.workBucket(), settings.outputsBucket())) {
            if (call(
                    "check bucket " + bucket,
                    () -> client.bucketExists(
                            BucketExistsArgs.builder().bucket(bucket).build()))) {
                continue;
            }
            if (!settings.createBuckets()) {
                throw new IllegalStateException("Bucket " + bucket + " does not exist and s3.buckets.create is false");
            }
            try {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                log.info("Created bucket {}", bucket);
            } catch (ErrorResponseException e) {
                // Another service created it between our check and our create.
                if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
                        && !"BucketAlreadyExists".equals(e.errorResponse().code())) {
                    throw unavailable("create bucket " + bucket, e);
                }
            } catch (MinioException e) {
                throw unavailable("create bucket " + bucket, e);
            } catch (RuntimeException e) {
                throw networkFailureOrBug("create bucket " + bucket, e);
            }
        }
    }

    /** Uploads bytes held in memory (small objects: events' side data, tensors, manifests). */
    public ObjectRef put(String bucket, String key, byte[] bytes, String contentType) {
        String sha = Sha256.of(bytes);
        call(
                "upload " + bucket + "/" + key,
                () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                        .checksum(UPLOAD_CHECKSUM)
                        .contentType(contentType)
                        .userMetadata(Map.of(SHA256_METADATA, sha))
                        .build()));
        return ref(bucket, key, sha, bytes.length);
    }

    /** Uploads a file, streaming it (multipart above the SDK's part size). */
    public ObjectRef put(String bucket, String key, Path file, String contentType) throws IOException {
        String sha = Sha256.of(file);
        long size = Files.size(file);
        call(
                "upload " + bucket + "/" + key,
                () -> client.uploadObject(UploadObjectArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .filename(file.toString())
                        .checksum(UPLOAD_CHECKSUM)
                        .contentType(contentType)
                        .userMetadata(Map.of(SHA256_METADATA, sha))
                        .build()));
        return ref(bucket, key, sha, size);
    }

    /**
     * Uploads from a stream, hashing on the way; multipart in parts of {@value #STREAM_PART_SIZE} bytes
     * when {@code size} is unknown (-1) or larger than one part.
     */
    public ObjectRef put(String bucket, String key, InputStream in, long size, String contentType) {
        MessageDigest digest = Sha256.newDigest();
        CountingInputStream counted = new CountingInputStream(new DigestInputStream(in, digest));
        call(
                "upload " + bucket + "/" + key,
                () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(
                                counted, size, size < 0 ? STREAM_PART_SIZE : -1L)
                        .checksum(UPLOAD_CHECKSUM)
                        .contentType(contentType)
                        .build()));
        return ref(bucket, key, HexFormat.of().formatHex(digest.digest()), counted.count);
    }

    /**
     * Opens the object for streaming; reading to the end fails with {@link IntegrityException} unless
     * its size and SHA-256 match the reference.
     */
    public InputStream open(ObjectRef ref) throws ObjectNotFoundException {
        return new VerifyingInputStream(
                openUnverified(ref.getBucket(), ref.getKey()),
                ref.getSize(),
                ref.getSha256(),
                ref.getBucket() + "/" + ref.getKey());
    }

    /** Opens the object for streaming without checking its content. */
    public InputStream openUnverified(String bucket, String key) throws ObjectNotFoundException {
        return callOnObject(
                "download",
                bucket,
                key,
                () -> client.getObject(
                        GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    /** Reads the whole (small) object, verified. */
    public byte[] readAllBytes(ObjectRef ref) throws ObjectNotFoundException, IOException {
        try (InputStream in = open(ref)) {
            return in.readAllBytes();
        }
    }

    /** What a download is written to, beside its target, until it is whole and moved into place. */
    public static final String PARTIAL_SUFFIX = ".part";

    /** Streams the object to a file, verified; the file is only moved into place when complete. */
    public void download(ObjectRef ref, Path target) throws ObjectNotFoundException, IOException {
        Path partial = target.resolveSibling(target.getFileName() + PARTIAL_SUFFIX);
        try (InputStream in = open(ref)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Size, etag and stored SHA-256 of an object, or empty when it does not exist. */
    public Optional<ObjectInfo> stat(String bucket, String key) {
        try {
            StatObjectResponse r = callOnObject(
                    "stat",
                    bucket,
                    key,
                    () -> client.statObject(
                            StatObjectArgs.builder().bucket(bucket).object(key).build()));
            String sha = r.headers().get("x-amz-meta-" + SHA256_METADATA);
            return Optional.of(new ObjectInfo(bucket, key, r.size(), r.etag(), Optional.ofNullable(sha)));
        } catch (ObjectNotFoundException notFound) {
            return Optional.empty();
        }
    }

    /** An HTTP GET URL for the object, valid for {@code ttl} (at most 7 days, S3's limit). */
    public URI presignGet(ObjectRef ref, Duration ttl) {
        long seconds = ttl.toSeconds();
        if (seconds < 1 || seconds > TimeUnit.DAYS.toSeconds(7)) {
            throw new IllegalArgumentException("A presigned URL lives between 1 second and 7 days, not " + ttl);
        }
        return URI.create(call(
                "presign " + ref.getBucket() + "/" + ref.getKey(),
                () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Http.Method.GET)
                        .bucket(ref.getBucket())
                        .object(ref.getKey())
                        .expiry((int) seconds)
                        .build())));
    }

    /** Keys under {@code prefix}, recursively, in key order. */
    public List<String> list(String bucket, String prefix) {
        return call("list " + bucket + "/" + prefix, () -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                keys.add(result.get().objectName());
            }
            return keys;
        });
    }

    public void delete(String bucket, String key) {
        call("delete " + bucket + "/" + key, () -> {
            client.removeObject(
                    RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    private static ObjectRef ref(String bucket, String key, String sha, long size) {
        return ObjectRef.newBuilder()
                .setBucket(bucket)
                .setKey(key)
                .setSha256(sha)
                .setSize(size)
                .build();
    }

    /** One SDK call. */
    @FunctionalInterface
    private interface StorageCall<T> {
        T run() throws MinioException;
    }

    /**
     * Runs an SDK call, turning every failure into {@link StorageUnavailableException}. (The SDK
     * reports network errors as unchecked exceptions wrapping the IOException, the rest as MinioException.)
     */
    private static <T> T call(String operation, StorageCall<T> call) {
        try {
            return call.run();
        } catch (MinioException e) {
            throw unavailable(operation, e);
        } catch (RuntimeException e) {
            throw networkFailureOrBug(operation, e);
        }
    }

    private static RuntimeException networkFailureOrBug(String operation, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return unavailable(operation, e);
            }
        }
        return e;
    }

    /** Like {@link #call}, but a missing object or bucket is {@link ObjectNotFoundException}. */
    private static <T> T callOnObject(String operation, String bucket, String key, StorageCall<T> call)
            throws ObjectNotFoundException {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            if (NOT_FOUND_CODES.contains(e.errorResponse().code())) {
                throw new ObjectNotFoundException(bucket, key);
            }
            throw unavailable(operation + " " + bucket + "/" + key, e);
        } catch (MinioException e) {
            throw unavailable(operation + " " + bucket + "/" + key, e);
        } catch (RuntimeException e) {
            throw networkFailureOrBug(operation + " " + bucket + "/" + key, e);
        }
    }

    private static StorageUnavailableException unavailable(String operation, Exception e) {
        String reason = e instanceof ErrorResponseException er
                ? er.errorResponse().code() + ": " + er.errorResponse().message()
                : e.getCause() != null ? e.getCause().toString() : e.getMessage();
        return new StorageUnavailableException("Object storage failed to " + operation + " (" + reason + ")", e);
    }

    /** Metadata of a stored object. */
    public record ObjectInfo(String bucket, String key, long size, String etag, Optional<String> sha256) {}

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
