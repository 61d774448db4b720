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
    void renamesEveryFileItNamesAndNothingElse() {
        String signed = HlsStreams.renamed(EVENT, name -> "https://store/" + name + "?sig=1");
        assertThat(HlsStreams.namedFiles(signed))
                .containsExactly(
                        "https://store/init.mp4?sig=1",
                        "https://store/seg00000.m4s?sig=1",
                        "https://store/seg00001.m4s?sig=1");
        assertThat(signed.lines().filter(l -> l.startsWith("#")).toList())
                .isEqualTo(EVENT.lines().filter(l -> l.startsWith("#")).toList().stream()
                        .map(l -> l.replace("\"init.mp4\"", "\"https://store/init.mp4?sig=1\""))
                        .toList());
        assertThat(signed).endsWith("\n");
    }

    @Test
    void keysLiveUnderTheRequestsMuxFolder() {
        assertThat(HlsStreams.key("acme", "r1", HlsStreams.PLAYLIST)).isEqualTo("acme/r1/mux/stream/index.m3u8");
    }
}
