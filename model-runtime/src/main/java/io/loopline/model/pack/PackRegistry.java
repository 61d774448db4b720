package io.loopline.model.pack;

import io.loopline.model.reference.ReferencePack;
import io.loopline.model.runtime.OnnxSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The packs a service can run, by name: sub-folders of the configured packs folder, and the built-in
 * reference packs ({@value ReferencePack#NAME} and its chained variant {@value ReferencePack#HISTORY_NAME}),
 * written on first use into a cache folder. Each pack is loaded (and validated) once.
 */
public final class PackRegistry {

    /** A built-in pack: what writes its files into a folder. */
    @FunctionalInterface
    private interface Writer {
        Path writeTo(Path dir) throws IOException;
    }

    private static final Map<String, Writer> BUILT_IN = Map.of(
            ReferencePack.NAME, ReferencePack::writeTo, ReferencePack.HISTORY_NAME, ReferencePack::writeHistoryTo);

    private final Path packsDir;
    private final Path cacheDir;
    private final OnnxSessions sessions;
    private final Map<String, ModelPack> loaded = new ConcurrentHashMap<>();

    /**
     * @param packsDir folder of installed packs, or null for none
     * @param cacheDir where the reference pack is written
     */
    public PackRegistry(Path packsDir, Path cacheDir, OnnxSessions sessions) {
        this.packsDir = packsDir;
        this.cacheDir = cacheDir;
        this.sessions = sessions;
    }

    /** Names of the built-in packs, sorted. */
    public static SortedSet<String> builtInNames() {
        return new TreeSet<>(BUILT_IN.keySet());
    }

    /**
     * Writes built-in pack {@code name} into {@code dir} (to inspect, modify or install).
     *
     * @throws IllegalArgumentException for a name that is not built in
     */
    public static Path writeBuiltIn(String name, Path dir) throws IOException {
        Writer writer = BUILT_IN.get(name);
        if (writer == null) {
            throw new IllegalArgumentException("No built-in pack " + name + "; there are " + builtInNames());
        }
        return writer.writeTo(dir);
    }

    public OnnxSessions sessions() {
        return sessions;
    }

    /** The pack called {@code name}, loaded and validated; empty if no such pack is installed. */
    public Optional<ModelPack> find(String name) {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            return Optional.empty();
        }
        ModelPack pack = loaded.get(name);
        if (pack != null) {
            return Optional.of(pack);
        }
        Path dir = packsDir == null ? null : packsDir.resolve(name);
        if (dir != null && Files.isDirectory(dir)) {
            return Optional.of(loaded.computeIfAbsent(name, n -> PackLoader.load(dir, sessions)));
        }
        if (BUILT_IN.containsKey(name)) {
            return Optional.of(loaded.computeIfAbsent(name, n -> PackLoader.load(writeBuiltIn(n), sessions)));
        }
        return Optional.empty();
    }

    /** Built-in packs written by this process, per cache folder and name: building their graphs takes most of a second. */
    private static final ConcurrentMap<Path, Path> WRITTEN = new ConcurrentHashMap<>();

    /**
     * A built-in pack in the cache, under a name derived from its bytes, so that a new Loopline
     * version never reuses an older pack and concurrent processes share one copy. Written once per
     * process and cache folder: services started side by side in one process (the CLI's embedded
     * pipeline) use the same copy instead of each building the graphs.
     */
    private Path writeBuiltIn(String name) {
        return WRITTEN.compute(
                cacheDir.toAbsolutePath().normalize().resolve(name),
                (key, written) -> written != null && Files.isDirectory(written) ? written : writeNow(name));
    }

    private Path writeNow(String name) {
        try {
            Files.createDirectories(cacheDir);
            Path partial = Files.createTempDirectory(cacheDir, ".writing-");
            writeBuiltIn(name, partial);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (Stream<Path> files = Files.list(partial)) {
                for (Path f : files.sorted().toList()) {
                    digest.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(f));
                }
            }
            Path dir = cacheDir.resolve(
                    name + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 12));
            if (Files.isDirectory(dir)) {
                FileUtils.deleteQuietly(partial.toFile());
                return dir;
            }
            try {
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException movedByAnother) {
                FileUtils.deleteQuietly(partial.toFile()); // another process moved the same bytes first
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the " + name + " pack to " + cacheDir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pack a service needs to start with; a missing one stops the start-up. */
    public ModelPack require(String name) {
        return find(name)
                .orElseThrow(() -> new IllegalStateException(
                        "The model pack \"" + name + "\" is not installed; available: " + available()));
    }

    /** Names of the packs that can be asked for. */
    public TreeSet<String> available() {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(BUILT_IN.keySet());
        if (packsDir != null && Files.isDirectory(packsDir)) {
            try (Stream<Path> dirs = Files.list(packsDir)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve(PackLoader.MANIFEST)))
                        .forEach(d -> names.add(d.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }
}
