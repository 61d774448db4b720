package io.loopline.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators of Loopline's own option types; each failure names the key (ConfigException does). */
final class ConfigValidators {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,100}");

    private ConfigValidators() {}

    /** A validator that documents itself as {@code description} (ConfigDocs prints it). */
    private static ConfigDef.Validator described(String description, ConfigDef.Validator check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                check.ensureValid(name, value);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    static ConfigDef.Validator hostPortList() {
        return described("host:port[,host:port...]", (name, value) -> {
            List<?> list = (List<?>) value;
            if (list == null || list.isEmpty()) {
                throw new ConfigException(name, value, "at least one host:port is needed");
            }
            for (Object hostPort : list) {
                String s = String.valueOf(hostPort);
                int colon = s.lastIndexOf(':');
                if (colon <= 0
                        || colon == s.length() - 1
                        || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                    throw new ConfigException(name, value, "\"" + s + "\" is not host:port");
                }
            }
        });
    }

    static ConfigDef.Validator bucketName() {
        return described("S3 bucket name", (name, value) -> {
            if (value == null
                    || !BUCKET.matcher(value.toString()).matches()
                    || value.toString().contains("..")) {
                throw new ConfigException(
                        name,
                        value,
                        "a bucket name is 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
            }
        });
    }

    static ConfigDef.Validator topicPrefix() {
        return described("up to 100 of a-z A-Z 0-9 . _ -", (name, value) -> {
            if (value == null || !TOPIC_PREFIX.matcher(value.toString()).matches()) {
                throw new ConfigException(
                        name, value, "a topic prefix is up to 100 characters of a-z, A-Z, 0-9, '.', '_' and '-'");
            }
        });
    }

    static ConfigDef.Validator replicationFactor() {
        return described("-1 or at least 1", (name, value) -> {
            short rf = (Short) value;
            if (rf == 0 || rf < -1) {
                throw new ConfigException(name, value, "must be -1 (the broker's default) or at least 1");
            }
        });
    }

    static ConfigDef.Validator httpUrl() {
        return described("http(s) URL", (name, value) -> {
            try {
                URI uri = new URI(String.valueOf(value));
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new ConfigException(name, value, "must be an http:// or https:// URL with a host");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "is not a URL: " + e.getMessage());
            }
        });
    }

    /** Pass-through options whose names suggest a secret are masked when logged. */
    static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password")
                || k.contains("secret")
                || k.contains("jaas")
                || k.contains("token")
                || k.contains("credentials")
                || k.endsWith(".key");
    }
}
