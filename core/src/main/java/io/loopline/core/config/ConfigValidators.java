package io.loopline.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators of Loopline's own option types; each failure names the key (ConfigException does). */
final class ConfigValidators {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,100}");

    private ConfigValidators() {
    }

    static ConfigDef.Validator bucketName() {
        return (name, value) -> {
            if (value == null || !BUCKET.matcher(value.toString()).matches() || value.toString().contains("..")) {
                throw new ConfigException(name, value, "a bucket name is 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
            }
        };
    }

    static ConfigDef.Validator topicPrefix() {
        return (name, value) -> {
            if (value == null || !TOPIC_PREFIX.matcher(value.toString()).matches()) {
                throw new ConfigException(name, value, "a topic prefix is up to 100 characters of a-z, A-Z, 0-9, '.', '_' and '-'");
            }
        };
    }

    static ConfigDef.Validator replicationFactor() {
        return (name, value) -> {
            short rf = (Short) value;
            if (rf == 0 || rf < -1) {
                throw new ConfigException(name, value, "must be -1 (the broker's default) or at least 1");
            }
        };
    }

    static ConfigDef.Validator httpUrl() {
        return (name, value) -> {
            try {
                URI uri = new URI(String.valueOf(value));
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new ConfigException(name, value, "must be an http:// or https:// URL with a host");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "is not a URL: " + e.getMessage());
            }
        };
    }

    /** Pass-through options whose names suggest a secret are masked when logged. */
    static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
            || k.contains("credentials") || k.endsWith(".key");
    }
}
