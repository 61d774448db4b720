package io.loopline.embedded;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.commons.io.FileUtils;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible HTTP server (S3Proxy) running inside this JVM on a loopback port. It checks
 * AWS SigV4 signatures, so clients must sign with {@link #accessKey()} / {@link #secretKey()} exactly
 * as against a real store.
 *
 * <p>Objects live in memory ({@link #inMemory()}) or in a folder ({@link #inDirectory(Path)}); the
 * folder variant survives a restart on the same port, which tests use to simulate an outage.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);

    private final Path directory;
    private final boolean ownsDirectory;
    private final String accessKey;
    private final String secretKey;
    private int port;
    private S3Proxy proxy;

    private EmbeddedS3(Path directory, boolean ownsDirectory) {
        this(directory, ownsDirectory, 0, newAccessKey(), newSecretKey());
    }

    private EmbeddedS3(Path directory, boolean ownsDirectory, int port, String accessKey, String secretKey) {
        this.directory = directory;
        this.ownsDirectory = ownsDirectory;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** A random access key id, as S3 prints them. */
    public static String newAccessKey() {
        byte[] id = new byte[10];
        new SecureRandom().nextBytes(id);
        return "LL" + HexFormat.of().withUpperCase().formatHex(id);
    }

    /** A random secret key. */
    public static String newSecretKey() {
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** Objects kept in memory, gone on close. */
    public static EmbeddedS3 inMemory() {
        return new EmbeddedS3(null, false);
    }

    /** Objects kept in {@code directory}, which the caller owns. */
    public static EmbeddedS3 inDirectory(Path directory) {
        return new EmbeddedS3(directory, false);
    }

    /**
     * Objects kept in {@code directory} (the caller's), served on a fixed port with fixed keys: a server process killed
     * and started again with the same arguments comes back with the same address, keys and objects.
     */
    public static EmbeddedS3 inDirectory(Path directory, int port, String accessKey, String secretKey) {
        return new EmbeddedS3(directory, false, port, accessKey, secretKey);
    }

    /** Objects kept in a temporary folder deleted on close; survives {@link #stop()} / {@link #start()}. */
    public static EmbeddedS3 inTemporaryDirectory() {
        try {
            return new EmbeddedS3(Files.createTempDirectory("loopline-s3-"), true);
        } catch (IOException e) {
            throw new EmbeddedInfrastructureException("Could not create a folder for the embedded S3 server", e);
        }
    }

    /** Starts the server (on the port it had before, if it was stopped). */
    public synchronized EmbeddedS3 start() {
        if (proxy != null) {
            return this;
        }
        long started = System.nanoTime();
        if (port == 0) {
            port = FreePorts.pick();
        }
        BlobStore store =
                directory == null ? new TransientNio2BlobStore() : new FilesystemNio2BlobStore(directory.toString());
        S3Proxy candidate = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .stopTimeout(0)
                .build();
        try {
            candidate.start();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!"STARTED".equals(candidate.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new EmbeddedInfrastructureException("The embedded S3 server did not start within 30 s", null);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedInfrastructureException("Interrupted while starting the embedded S3 server", e);
        } catch (EmbeddedInfrastructureException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedInfrastructureException("Could not start the embedded S3 server: " + e.getMessage(), e);
        }
        proxy = candidate;
        log.info("Embedded S3 ready at {} in {} ms", endpoint(), (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    /** Stops serving without forgetting the port or (for folder stores) the objects. */
    public synchronized void stop() {
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (Exception e) {
                log.warn("Embedded S3 server did not stop cleanly", e);
            }
            proxy = null;
        }
    }

    public String endpoint() {
        if (port == 0) {
            throw new IllegalStateException("The embedded S3 server was never started");
        }
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The region clients should sign for. */
    public String region() {
        return "us-east-1";
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsDirectory && directory != null) {
            FileUtils.deleteQuietly(directory.toFile());
        }
    }
}
