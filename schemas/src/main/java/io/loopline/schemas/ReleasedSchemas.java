package io.loopline.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of every event schema, looked up by the CRC-64-AVRO fingerprint that the
 * single-object encoding puts in front of each record.
 *
 * <p>Released schemas are kept, never edited, as self-contained files
 * {@code io/loopline/schemas/released/<Name>.v<N>.avsc} listed in {@code released/index.txt}. A
 * record written by any released version can therefore be decoded by today's code (Avro resolves
 * the writer's schema to the reader's), which is what makes replaying old topics safe.
 */
public final class ReleasedSchemas implements SchemaStore {

    private static final String ROOT = "/io/loopline/schemas/released/";
    private static final Pattern FILE_NAME = Pattern.compile("([A-Za-z][A-Za-z0-9]*)\\.v([0-9]+)\\.avsc");
    private static volatile ReleasedSchemas instance;

    /** One released version of one schema. */
    public record Version(String fullName, int version, Schema schema, long fingerprint, String resource) {}

    private final Map<Long, Version> byFingerprint;
    private final Map<String, List<Version>> byName;

    private ReleasedSchemas(List<Version> versions) {
        Map<Long, Version> fingerprints = new HashMap<>();
        Map<String, List<Version>> names = new HashMap<>();
        for (Version v : versions) {
            Version clash = fingerprints.putIfAbsent(v.fingerprint(), v);
            if (clash != null) {
                throw new IllegalStateException("Released schemas " + clash.resource() + " and " + v.resource()
                        + " are identical; a new version must differ from the old one");
            }
            names.computeIfAbsent(v.fullName(), n -> new ArrayList<>()).add(v);
        }
        names.replaceAll((n, list) -> {
            list.sort(Comparator.comparingInt(Version::version));
            return List.copyOf(list);
        });
        this.byFingerprint = Map.copyOf(fingerprints);
        this.byName = Map.copyOf(names);
    }

    /** The released schemas shipped on the class path (loaded once). */
    public static ReleasedSchemas get() {
        ReleasedSchemas result = instance;
        if (result == null) {
            synchronized (ReleasedSchemas.class) {
                result = instance;
                if (result == null) {
                    result = load();
                    instance = result;
                }
            }
        }
        return result;
    }

    private static ReleasedSchemas load() {
        List<Version> versions = new ArrayList<>();
        for (String file : readIndex()) {
            Matcher m = FILE_NAME.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException(
                        "Released schema file name " + file + " does not match <Name>.v<N>.avsc");
            }
            Schema schema;
            try (InputStream in = resource(file)) {
                schema = new Schema.Parser().parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read released schema " + file, e);
            }
            if (!schema.getName().equals(m.group(1))) {
                throw new IllegalStateException("Released schema " + file + " holds " + schema.getFullName());
            }
            versions.add(new Version(
                    schema.getFullName(),
                    Integer.parseInt(m.group(2)),
                    schema,
                    SchemaNormalization.parsingFingerprint64(schema),
                    ROOT + file));
        }
        return new ReleasedSchemas(versions);
    }

    private static List<String> readIndex() {
        List<String> files = new ArrayList<>();
        try (InputStream in = resource("index.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    files.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the index of released schemas", e);
        }
        return files;
    }

    private static InputStream resource(String file) {
        InputStream in = ReleasedSchemas.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IllegalStateException("Released schema resource " + ROOT + file + " is missing");
        }
        return in;
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        Version v = byFingerprint.get(fingerprint);
        return v == null ? null : v.schema();
    }

    /** All released versions of a schema, oldest first; empty when none was released. */
    public List<Version> versions(String fullName) {
        return byName.getOrDefault(fullName, List.of());
    }

    /** Every released version of every schema. */
    public List<Version> all() {
        List<Version> all = new ArrayList<>(byFingerprint.values());
        all.sort(Comparator.comparing(Version::fullName).thenComparingInt(Version::version));
        return Collections.unmodifiableList(all);
    }
}
