package io.loopline.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where configuration values come from, lowest precedence first: the definition's defaults, a
 * properties file, environment variables, explicit overrides (e.g. command-line flags).
 *
 * <p>An option {@code s3.secret.key} is read from the environment variable
 * {@code LOOPLINE_S3_SECRET_KEY} (upper case, '.' and '-' become '_'); pass-through options under
 * {@link LooplineConfig#KAFKA_CLIENT_PREFIX} and {@link LooplineConfig#SERDE_CONFIG_PREFIX} map the
 * rest of the variable name back to dots ({@code LOOPLINE_KAFKA_CLIENT_SECURITY_PROTOCOL}).
 * The file is named by {@value #CONFIG_FILE_ENV} unless given explicitly.
 */
public final class ConfigSources {

    private static final Logger log = LoggerFactory.getLogger(ConfigSources.class);

    public static final String ENV_PREFIX = "LOOPLINE_";
    public static final String CONFIG_FILE_ENV = "LOOPLINE_CONFIG_FILE";
    private static final String[] PASS_THROUGH = {LooplineConfig.KAFKA_CLIENT_PREFIX, LooplineConfig.SERDE_CONFIG_PREFIX
    };

    private ConfigSources() {}

    /** The environment variable that sets {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Merges the sources for {@code definition}.
     *
     * @param definition what options exist (to map environment variables to keys)
     * @param env        the environment, usually {@code System.getenv()}
     * @param file       a properties file; empty: {@value #CONFIG_FILE_ENV} if set, else none
     * @param overrides  values that win over everything else
     */
    public static Map<String, String> resolve(
            ConfigDef definition, Map<String, String> env, Optional<Path> file, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>();
        Optional<Path> configFile = file.or(() -> Optional.ofNullable(env.get(CONFIG_FILE_ENV))
                .filter(s -> !s.isBlank())
                .map(Path::of));
        configFile.ifPresent(path -> merged.putAll(readFile(path)));
        merged.putAll(fromEnvironment(definition.names(), env));
        merged.putAll(overrides);
        return merged;
    }

    static Map<String, String> fromEnvironment(Set<String> keys, Map<String, String> env) {
        Map<String, String> byEnvName = new HashMap<>();
        for (String key : keys) {
            byEnvName.put(envName(key), key);
        }
        Map<String, String> values = new HashMap<>();
        env.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX) || name.equals(CONFIG_FILE_ENV)) {
                return;
            }
            String key = byEnvName.get(name);
            if (key == null) {
                key = passThroughKey(name);
            }
            if (key == null) {
                log.warn("Ignoring environment variable {}: no such Loopline option", name);
            } else {
                values.put(key, value);
            }
        });
        return values;
    }

    private static String passThroughKey(String envName) {
        for (String prefix : PASS_THROUGH) {
            String envPrefix = envName(prefix);
            if (envName.startsWith(envPrefix) && envName.length() > envPrefix.length()) {
                return prefix
                        + envName.substring(envPrefix.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.');
            }
        }
        return null;
    }

    private static Map<String, String> readFile(Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        props.stringPropertyNames()
                .forEach(k -> values.put(k, props.getProperty(k).strip()));
        return values;
    }
}
