package io.loopline.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HlsStreamsTest {

    private static final String EVENT = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:2
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:EVENT
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:2.000000,
            seg00000.m4s
            #EXTINF:2.000000,
            seg00001.m4s
            """;

    @Test
    void readsTheInitAndMediaSegmentsInOrder() {
        assertThat(HlsStreams.namedFiles(EVENT)).containsExactly("init.mp4", "seg00000.m4s", "seg00001.m4s");
    }

    @Test
    void endsAPlaylistOnce() {
        assertThat(HlsStreams.isEnded(EVENT)).isFalse();
        String ended = HlsStreams.ended(EVENT);
        assertThat(HlsStreams.isEnded(ended)).isTrue();
        assertThat(HlsStreams.ended(ended)).isEqualTo(ended);
        assertThat(ended).endsWith("seg00001.m4s\n#EXT-X-ENDLIST\n");
    }

    @Test
    void keysLiveUnderTheRequestsMuxFolder() {
        assertThat(HlsStreams.key("acme", "r1", HlsStreams.PLAYLIST)).isEqualTo("acme/r1/mux/stream/index.m3u8");
    }
}
