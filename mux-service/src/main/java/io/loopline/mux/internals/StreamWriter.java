package io.loopline.mux.internals;

import io.loopline.core.storage.ObjectStore;
import io.loopline.core.stream.HlsStreams;
import io.loopline.events.ObjectRef;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * The video as an HLS stream beside the MP4, so a viewer can start while the rest still renders:
 * FFmpeg's HLS muxer writes fragmented-MP4 (CMAF) segments of {@value #SEGMENT_SECONDS} s (a keyframe
 * at the start of each) and an event playlist into a local folder; {@link #publish} uploads what it has completed — the init
 * segment and media segments first, then the playlist that names them, so a reader never sees a
 * playlist naming a missing segment — under {@code {tenant}/{request}/mux/stream/}. The last playlist
 * ends with {@code #EXT-X-ENDLIST}; a stream whose video fails is closed with what is valid
 * ({@link #end}). Same frames and audio ⇒ the same segments, byte for byte, so a replay rewrites them
 * unchanged.
 */
final class StreamWriter {

    static final String INIT = "init.mp4";
    /** The playlist whose files are named by presigned URLs. */
    static final String SIGNED = "signed.m3u8";
    /** Segment length in seconds, one keyframe interval: the first second can be watched once it is encoded. */
    static final int SEGMENT_SECONDS = 1;

    private final ObjectStore store;
    private final String tenant;
    private final String requestId;
    private final Path dir;
    private final Duration urlTtl;
    /** Each file up, by name, with its presigned URL (signed once, at upload: valid for the whole assembly). */
    private final Map<String, String> uploaded = new HashMap<>();

    private String published;
    private ObjectRef signedPlaylist;

    StreamWriter(ObjectStore store, String tenant, String requestId, Path dir, Duration urlTtl) throws IOException {
        this.store = store;
        this.tenant = tenant;
        this.requestId = requestId;
        this.dir = Files.createDirectories(dir);
        this.urlTtl = urlTtl;
    }

    /** A presigned URL of the playable playlist ({@value #SIGNED}), once one is up; empty before. */
    synchronized Optional<URI> presignedPlaylist() {
        return Optional.ofNullable(signedPlaylist).map(ref -> store.presignGet(ref, urlTtl));
    }

    /** The outputs-bucket key of the playlist that names its segments relatively. */
    String playlistKey() {
        return HlsStreams.key(tenant, requestId, HlsStreams.PLAYLIST);
    }

    /** Sets {@code recorder} (already set up like the MP4's) to write the stream into this writer's folder. */
    void configure(FFmpegFrameRecorder recorder) {
        recorder.setFormat("hls");
        // A keyframe exactly every segment (none extra at scene cuts): each segment starts on one and lasts
        // SEGMENT_SECONDS, and the first is out as soon as it is encoded.
        recorder.setGopSize((int) Math.round(recorder.getFrameRate() * SEGMENT_SECONDS));
        // No lookahead and slice threads instead of frame threads, and two B-frames in a fixed pattern: a frame
        // leaves the encoder two frames after it goes in, so a segment is complete almost as soon as its last
        // frame is encoded rather than a lookahead later (the MP4's encoder keeps its lookahead). A fixed
        // pattern of B-frames keeps the stream about a fifth smaller than with none.
        recorder.setVideoOption(
                "x264-params", "scenecut=0:rc-lookahead=0:sync-lookahead=0:sliced-threads=1:bframes=2:b-adapt=0");
        recorder.setOption("hls_time", Integer.toString(SEGMENT_SECONDS));
        recorder.setOption("hls_playlist_type", "event");
        recorder.setOption("hls_segment_type", "fmp4");
        recorder.setOption("hls_fmp4_init_filename", INIT);
        recorder.setOption("hls_segment_filename", dir.resolve("seg%05d.m4s").toString());
        // Segments and playlist written to a temporary file and renamed when complete: a file named is a file done.
        recorder.setOption("hls_flags", "independent_segments+temp_file");
    }

    /** The playlist file the recorder writes. */
    Path playlist() {
        return dir.resolve(HlsStreams.PLAYLIST);
    }

    /** Uploads the segments the playlist names that are not up yet, then the playlist if it changed. */
    void publish() throws IOException {
        Path file = playlist();
        if (!Files.isRegularFile(file)) {
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.equals(published)) {
            return;
        }
        for (String name : HlsStreams.namedFiles(text)) {
            if (uploaded.containsKey(name)) {
                continue;
            }
            Path segment = dir.resolve(name);
            if (!Files.isRegularFile(segment)) {
                return; // named before its rename landed: the next publish takes it
            }
            ObjectRef ref =
                    store.put(store.outputsBucket(), HlsStreams.key(tenant, requestId, name), segment, "video/mp4");
            uploaded.put(name, store.presignGet(ref, urlTtl).toString());
        }
        put(text);
    }

    /** Closes the stream with what is up: the last published playlist, ended. Nothing when nothing was published. */
    void end() {
        if (published != null && !HlsStreams.isEnded(published)) {
            put(HlsStreams.ended(published));
        }
    }

    /**
     * Uploads the playlist, and beside it {@value #SIGNED}: the same with every file named by its presigned URL,
     * which any player can follow without access to the bucket (until the URLs expire).
     */
    private void put(String playlistText) {
        store.put(
                store.outputsBucket(),
                playlistKey(),
                playlistText.getBytes(StandardCharsets.UTF_8),
                HlsStreams.PLAYLIST_CONTENT_TYPE);
        String signed = HlsStreams.renamed(playlistText, uploaded::get);
        ObjectRef ref = store.put(
                store.outputsBucket(),
                HlsStreams.key(tenant, requestId, SIGNED),
                signed.getBytes(StandardCharsets.UTF_8),
                HlsStreams.PLAYLIST_CONTENT_TYPE);
        synchronized (this) {
            signedPlaylist = ref;
        }
        published = playlistText;
    }
}
