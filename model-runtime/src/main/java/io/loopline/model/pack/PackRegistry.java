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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;

/**
 * The packs a service can run, by name: sub-folders of the configured packs folder, and the built-in
 * reference pack, written on first use into a cache folder. Each pack is loaded (and validated) once.
 */
public final class PackRegistry {

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
        if (name.equals(ReferencePack.NAME)) {
            return Optional.of(loaded.computeIfAbsent(name, n -> PackLoader.load(writeReference(), sessions)));
        }
        return Optional.empty();
    }

    /** The reference pack written by this process, per cache folder: building its graphs takes most of a second. */
    private static final ConcurrentMap<Path, Path> WRITTEN_REFERENCE = new ConcurrentHashMap<>();

    /**
     * The reference pack in the cache, under a name derived from its bytes, so that a new Loopline
     * version never reuses an older pack and concurrent processes share one copy. Written once per
     * process and cache folder: services started side by side in one process (the CLI's embedded
     * pipeline) use the same copy instead of each building the graphs.
     */
    private Path writeReference() {
        return WRITTEN_REFERENCE.compute(
                cacheDir.toAbsolutePath().normalize(),
                (key, written) -> written != null && Files.isDirectory(written) ? written : writeReferenceNow());
    }

    private Path writeReferenceNow() {
        try {
            Files.createDirectories(cacheDir);
            Path partial = Files.createTempDirectory(cacheDir, ".writing-");
            ReferencePack.writeTo(partial);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (Stream<Path> files = Files.list(partial)) {
                for (Path f : files.sorted().toList()) {
                    digest.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(f));
                }
            }
            Path dir = cacheDir.resolve(ReferencePack.NAME + "-"
                    + HexFormat.of().formatHex(digest.digest()).substring(0, 12));
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
            throw new UncheckedIOException("Cannot write the reference pack to " + cacheDir, e);
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
        names.add(ReferencePack.NAME);
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
