package io.loopline.cli.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.core.storage.ObjectStore;
import io.loopline.core.stream.HlsStreams;
import io.loopline.core.testing.TestStores;
import io.loopline.embedded.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's copy of a growing stream never names a file it has not copied, and knows when the stream ended. */
class StreamFollowerIT {

    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.inMemory().start();
        store = TestStores.on(s3);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static void put(String name, String content) {
        store.put(
                store.outputsBucket(),
                HlsStreams.key("acme", "r1", name),
                content.getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
    }

    private static final String HEAD = "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MAP:URI=\"init.mp4\"\n";

    @Test
    void copiesWhatThePlaylistNamesThenThePlaylist() throws Exception {
        StreamFollower follower = new StreamFollower(store, "acme", "r1", dir);
        assertThat(follower.poll()).as("nothing published yet").isFalse();
        assertThat(follower.playlist()).doesNotExist();

        put("init.mp4", "init");
        put("seg00000.m4s", "zero");
        put(HlsStreams.PLAYLIST, HEAD + "#EXTINF:2.0,\nseg00000.m4s\n");
        assertThat(follower.poll()).isFalse();
        assertThat(Files.readString(dir.resolve("seg00000.m4s"))).isEqualTo("zero");
        assertThat(Files.readString(follower.playlist())).endsWith("seg00000.m4s\n");

        // A playlist naming a segment that is not up (yet): the local playlist stays as it was.
        put(HlsStreams.PLAYLIST, HEAD + "#EXTINF:2.0,\nseg00000.m4s\n#EXTINF:2.0,\nseg00001.m4s\n");
        assertThat(follower.poll()).isFalse();
        assertThat(Files.readString(follower.playlist())).doesNotContain("seg00001");

        put("seg00001.m4s", "one");
        put(
                HlsStreams.PLAYLIST,
                HEAD + "#EXTINF:2.0,\nseg00000.m4s\n#EXTINF:2.0,\nseg00001.m4s\n" + HlsStreams.ENDLIST + "\n");
        assertThat(follower.poll()).as("ended").isTrue();
        assertThat(Files.readString(dir.resolve("seg00001.m4s"))).isEqualTo("one");
        assertThat(HlsStreams.isEnded(Files.readString(follower.playlist()))).isTrue();
    }
}
