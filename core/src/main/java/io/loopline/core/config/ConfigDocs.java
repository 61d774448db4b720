package io.loopline.core.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a configuration definition as a Markdown table (key, environment variable, type, default,
 * valid values, meaning), so that the documentation is derived from the one declaration.
 */
public final class ConfigDocs {

    private ConfigDocs() {}

    public static String markdownTable(ConfigDef definition) {
        StringBuilder sb = new StringBuilder();
        sb.append("| option | environment variable | type | default | valid values | meaning |\n");
        sb.append("|---|---|---|---|---|---|\n");
        List<ConfigDef.ConfigKey> keys = definition.configKeys().values().stream()
                .sorted(Comparator.comparing(k -> k.name))
                .toList();
        for (ConfigDef.ConfigKey key : keys) {
            sb.append("| `")
                    .append(key.name)
                    .append("` | `")
                    .append(ConfigSources.envName(key.name))
                    .append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(defaultOf(key))
                    .append(" | ")
                    .append(key.validator == null ? "" : escape(key.validator.toString()))
                    .append(" | ")
                    .append(escape(key.documentation))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The table of the options {@code service} declares beyond the shared ones of {@link LooplineConfig#configDef}. */
    public static String serviceOptionsTable(ConfigDef serviceDefinition, String service) {
        ConfigDef own = new ConfigDef();
        Set<String> shared = LooplineConfig.configDef(service).names();
        serviceDefinition.configKeys().values().stream()
                .filter(k -> !shared.contains(k.name))
                .forEach(own::define);
        return markdownTable(own);
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value instanceof Class<?> c) {
            value = c.getName();
        } else if (value instanceof List<?> list) {
            value = String.join(",", list.stream().map(String::valueOf).toList());
        }
        return "`" + value + "`";
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
