package io.loopline.ingest.internals;

import io.loopline.core.auth.RequestSignature;
import io.loopline.core.storage.ObjectKeys;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' request-signing keys, from a properties file of {@code tenant=key[,key…]} lines (base64, at
 * least {@value RequestSignature#MIN_KEY_BYTES} bytes each; several while a key is rotated). A file that cannot
 * be read or holds a bad line fails the service's start; when it changes later (a rotated Kubernetes Secret) it
 * is read again, and a bad new version is logged and ignored, keeping the keys read before.
 */
public final class TenantKeys {

    private static final Logger log = LoggerFactory.getLogger(TenantKeys.class);

    private final Path file;
    private Object version;
    private Map<String, List<byte[]>> keys;

    private TenantKeys(Path file) {
        this.file = file;
    }

    /** Reads {@code file}. @throws IllegalArgumentException naming the file and what is wrong (never a key) */
    public static TenantKeys load(Path file) {
        TenantKeys loaded = new TenantKeys(file);
        try {
            loaded.version = version(file);
            loaded.keys = parse(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "The tenant keys file " + file + " cannot be read: " + e.getMessage(), e);
        }
        log.info("Requests must be signed: keys of {} tenants from {}", loaded.keys.size(), file);
        return loaded;
    }

    /** The keys {@code tenant} may sign with; empty when it has none. */
    public synchronized List<byte[]> of(String tenant) {
        refreshIfChanged();
        return keys.getOrDefault(tenant, List.of());
    }

    private void refreshIfChanged() {
        try {
            Object now = version(file);
            if (!now.equals(version)) {
                keys = parse(file);
                version = now;
                log.info("Tenant keys read again from {}: {} tenants", file, keys.size());
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Keeping the tenant keys read before: {} ({})", file, e.getMessage());
        }
    }

    /** What tells one version of the file from the next: its modification time, size and (a Secret's link) its target. */
    private static Object version(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(a.lastModifiedTime(), a.size(), file.toRealPath().toString());
    }

    static Map<String, List<byte[]>> parse(Path file) throws IOException {
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines.load(in);
        }
        Map<String, List<byte[]>> out = new HashMap<>();
        for (String tenant : lines.stringPropertyNames()) {
            if (!ObjectKeys.isValidTenant(tenant)) {
                throw new IllegalArgumentException(
                        "\"" + ObjectKeys.printable(tenant) + "\" in " + file + " is not a valid tenant id");
            }
            List<byte[]> keys = new ArrayList<>();
            for (String encoded : lines.getProperty(tenant).split(",")) {
                try {
                    keys.add(RequestSignature.decodeKey(encoded));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "A key of tenant " + tenant + " in " + file + ": " + e.getMessage());
                }
            }
            out.put(tenant, List.copyOf(keys));
        }
        return Map.copyOf(out);
    }
}
