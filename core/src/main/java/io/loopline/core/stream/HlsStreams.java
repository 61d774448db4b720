package io.loopline.core.stream;

import io.loopline.core.storage.ObjectKeys;
import io.loopline.events.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a request's HLS stream lives and how its playlist is read: mux writes it under
 * {@code {tenant}/{request}/mux/stream/} in the outputs bucket — a playlist, {@value #PLAYLIST}, naming an
 * init segment and media segments by relative names — and readers (the CLI) mirror it from there.
 */
public final class HlsStreams {

    public static final String PLAYLIST = "index.m3u8";
    public static final String ENDLIST = "#EXT-X-ENDLIST";
    public static final String PLAYLIST_CONTENT_TYPE = "application/vnd.apple.mpegurl";

    private static final Pattern MAP_URI = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");

    private HlsStreams() {}

    /** The outputs-bucket key of one file of a request's stream. */
    public static String key(String tenant, String requestId, String name) {
        return ObjectKeys.derived(tenant, requestId, Stage.MUX, "stream/" + name);
    }

    /** The files a playlist names, in order: the init segment, then the media segments. */
    public static List<String> namedFiles(String playlist) {
        List<String> names = new ArrayList<>();
        for (String line : playlist.split("\n")) {
            String l = line.strip();
            Matcher map = MAP_URI.matcher(l);
            if (map.find()) {
                names.add(map.group(1));
            } else if (!l.isEmpty() && !l.startsWith("#")) {
                names.add(l);
            }
        }
        return names;
    }

    /** The playlist with every file it names (init segment and media segments) replaced by {@code rename}'s value. */
    public static String renamed(String playlist, UnaryOperator<String> rename) {
        StringBuilder out = new StringBuilder();
        for (String line : playlist.split("\n", -1)) {
            String l = line.strip();
            Matcher map = MAP_URI.matcher(l);
            if (map.find()) {
                out.append(l, 0, map.start(1))
                        .append(rename.apply(map.group(1)))
                        .append(l.substring(map.end(1)));
            } else if (!l.isEmpty() && !l.startsWith("#")) {
                out.append(rename.apply(l));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** Whether the playlist says the stream is complete. */
    public static boolean isEnded(String playlist) {
        return playlist.lines().anyMatch(l -> l.strip().equals(ENDLIST));
    }

    /** The playlist, ended (unchanged if it already is). */
    public static String ended(String playlist) {
        return isEnded(playlist) ? playlist : playlist + (playlist.endsWith("\n") ? "" : "\n") + ENDLIST + "\n";
    }
}
