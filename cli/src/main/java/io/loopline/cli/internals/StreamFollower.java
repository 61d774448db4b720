package io.loopline.cli.internals;

import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.stream.HlsStreams;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Mirrors a request's HLS stream from the outputs bucket into a local folder as it grows: the files the
 * playlist names first, then the playlist, moved into place whole — so a player reading the folder (ffplay,
 * VLC, a browser with hls.js) never meets a segment it cannot open.
 */
public final class StreamFollower {

    private final ObjectStore store;
    private final String tenant;
    private final String requestId;
    private final Path dir;
    private final Set<String> copied = new HashSet<>();
    private String playlist;

    public StreamFollower(ObjectStore store, String tenant, String requestId, Path dir) throws IOException {
        this.store = store;
        this.tenant = tenant;
        this.requestId = requestId;
        this.dir = Files.createDirectories(dir);
    }

    /** The local playlist a player opens. */
    public Path playlist() {
        return dir.resolve(HlsStreams.PLAYLIST);
    }

    /** Copies what is new; returns whether the stream is complete here. */
    public boolean poll() throws IOException {
        String remote;
        try (InputStream in =
                store.openUnverified(store.outputsBucket(), HlsStreams.key(tenant, requestId, HlsStreams.PLAYLIST))) {
            remote = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (ObjectNotFoundException notYet) {
            return false;
        }
        if (!remote.equals(playlist)) {
            for (String name : HlsStreams.namedFiles(remote)) {
                if (copied.add(name)) {
                    try (InputStream in =
                            store.openUnverified(store.outputsBucket(), HlsStreams.key(tenant, requestId, name))) {
                        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    } catch (ObjectNotFoundException e) {
                        copied.remove(name);
                        return false; // the writer publishes the segments before the playlist; try again
                    }
                }
            }
            Path partial = Files.createTempFile(dir, ".playlist-", ".tmp");
            Files.writeString(partial, remote, StandardCharsets.UTF_8);
            Files.move(partial, playlist(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            playlist = remote;
        }
        return HlsStreams.isEnded(remote);
    }
}
