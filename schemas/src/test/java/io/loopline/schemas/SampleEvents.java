package io.loopline.schemas;

import io.loopline.events.FaceGeometry;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.MediaValidated;
import io.loopline.events.Mode;
import io.loopline.events.MouthRest;
import io.loopline.events.MouthRestState;
import io.loopline.events.ObjectRef;
import io.loopline.events.Priority;
import io.loopline.events.RenderTask;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestState;
import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentMode;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.events.VideoCompleted;
import io.loopline.events.Warning;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Fully populated events of every catalog type, for serde and pipeline tests. */
public final class SampleEvents {

    public static final Instant REQUESTED_AT = Instant.parse("2026-11-25T10:15:30.123Z");

    private SampleEvents() {}

    public static ObjectRef ref(String bucket, String key) {
        return ObjectRef.newBuilder()
                .setBucket(bucket)
                .setKey(key)
                .setSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setSize(1234)
                .build();
    }

    public static GenerationOptions options() {
        return GenerationOptions.newBuilder()
                .setMode(Mode.PORTRAIT)
                .setOutputSize(512)
                .setFps(25)
                .setSeed(42)
                .setSamplingSteps(8)
                .setAudioGuidance(3.5f)
                .setReferenceGuidance(2.0f)
                .setModelPack("reference")
                .setPriority(Priority.HIGH)
                .build();
    }

    public static GenerationRequest request(String tenant, String requestId) {
        return GenerationRequest.newBuilder()
                .setRequestId(requestId)
                .setTenant(tenant)
                .setRequestedAt(REQUESTED_AT)
                .setImage(ref("loopline-inputs", tenant + "/uploads/face.jpg"))
                .setAudio(ref("loopline-inputs", tenant + "/uploads/speech.wav"))
                .setOptions(options())
                .build();
    }

    public static FaceGeometry face() {
        return FaceGeometry.newBuilder()
                .setBoxX(180)
                .setBoxY(120)
                .setBoxWidth(150)
                .setBoxHeight(170)
                .setConfidence(0.97f)
                .setDetector("blazeface-full")
                .setLandmarkCount(468)
                .setLandmarks(ref("loopline-work", "t1/r1/ingest/landmarks.lltensor"))
                .setMouthRest(mouthRest())
                .build();
    }

    /** A smile showing teeth, as ingest measures one (figures of the astronaut photo). */
    public static MouthRest mouthRest() {
        return MouthRest.newBuilder()
                .setState(MouthRestState.TEETH)
                .setLipGap(0.176f)
                .setLipGapProfile(List.of(0.10f, 0.13f, 0.16f, 0.17f, 0.18f, 0.17f, 0.16f, 0.13f, 0.10f))
                .setUpperLipThickness(0.051f)
                .setLowerLipThickness(0.125f)
                .setMouthWidth(1.05f)
                .setCornerLift(0.136f)
                .setTeethVisible(true)
                .setTeethFraction(0.56f)
                .setPixelsChecked(true)
                .setEyeDistance(92.4f)
                .build();
    }

    public static MediaValidated mediaValidated() {
        return MediaValidated.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(REQUESTED_AT)
                .setOptions(options())
                .setImage(ref("loopline-work", "t1/r1/ingest/reference.png"))
                .setImageWidth(512)
                .setImageHeight(512)
                .setFace(face())
                .setAudio(ref("loopline-work", "t1/r1/ingest/audio.f32"))
                .setOriginalAudio(ref("loopline-inputs", "t1/uploads/speech.wav"))
                .setAudioDurationMs(7040)
                .setWarnings(List.of(Warning.newBuilder()
                        .setCode("FACE_UPSCALED")
                        .setMessage("The face is small and was upscaled.")
                        .build()))
                .build();
    }

    public static RenderTask renderTask() {
        return RenderTask.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(REQUESTED_AT)
                .setOptions(options())
                .setModelPack("reference")
                .setSegmentMode(SegmentMode.CHAINED)
                .setSegmentIndex(1)
                .setSegmentCount(3)
                .setFrameStart(60)
                .setFrameCount(68)
                .setOverlapFrames(8)
                .setTotalFrames(176)
                .setReference(ref("loopline-work", "t1/r1/ingest/reference.png"))
                .setFace(face())
                .setFeatures(ref("loopline-work", "t1/r1/feature/features.lltensor"))
                .setMotion(ref("loopline-work", "t1/r1/feature/motion.lltensor"))
                .setOriginalAudio(ref("loopline-inputs", "t1/uploads/speech.wav"))
                .setAudioDurationMs(7040)
                .setMotionHistory(List.of(ref("loopline-work", "t1/r1/render/segment-0000.frames")))
                .build();
    }

    public static SegmentRendered segmentRendered() {
        return SegmentRendered.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(REQUESTED_AT)
                .setSegmentIndex(1)
                .setSegmentCount(3)
                .setFrameStart(60)
                .setFrameCount(68)
                .setOverlapFrames(8)
                .setTotalFrames(176)
                .setFps(25)
                .setWidth(512)
                .setHeight(512)
                .setFrames(ref("loopline-work", "t1/r1/render/segment-0001.frames"))
                .setOriginalAudio(ref("loopline-inputs", "t1/uploads/speech.wav"))
                .setAudioDurationMs(7040)
                .setRenderMillis(5120)
                .build();
    }

    public static VideoCompleted videoCompleted() {
        return VideoCompleted.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(REQUESTED_AT)
                .setVideo(ref("loopline-outputs", "t1/r1/mux/video.mp4"))
                .setPresignedUrl("http://127.0.0.1:9000/loopline-outputs/t1/r1/mux/video.mp4?X-Amz-Signature=abc")
                .setUrlExpiresAt(REQUESTED_AT.plusSeconds(3600))
                .setDurationMs(7040)
                .setFrameCount(176)
                .setFps(25)
                .setWidth(512)
                .setHeight(512)
                .setQuality(Map.of("sharpness", 0.82, "identity", 0.95))
                .build();
    }

    public static RequestFailed requestFailed() {
        return RequestFailed.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(REQUESTED_AT)
                .setStage(Stage.INGEST)
                .setErrorCode("NO_FACE")
                .setMessage("No face was found in the image.")
                .setRetryable(false)
                .setAttempts(1)
                .setDetails(Map.of("detector", "blazeface-full"))
                .build();
    }

    public static RequestStatus requestStatus() {
        return RequestStatus.newBuilder()
                .setRequestId("r1")
                .setTenant("t1")
                .setRequestedAt(REQUESTED_AT)
                .setStage(Stage.RENDER)
                .setState(RequestState.RUNNING)
                .setProgress(0.5f)
                .setSegmentsDone(2)
                .setSegmentsTotal(4)
                .setErrorCode(null)
                .setMessage(null)
                .setVideo(null)
                .setUpdatedAt(REQUESTED_AT.plusSeconds(20))
                .build();
    }

    /**
     * A request as a producer still on version 1 of the schema (before {@code options.priority})
     * writes it: single-object encoded with the released v1 schema.
     */
    public static byte[] requestWrittenWithVersion1(
            String tenant, String requestId, String mode, int outputSize, long seed) {
        Schema v1 = ReleasedSchemas.get()
                .versions(GenerationRequest.getClassSchema().getFullName())
                .get(0)
                .schema();
        Schema optionsSchema = v1.getField("options").schema();
        if (optionsSchema.getField("priority") != null) {
            throw new IllegalStateException("v1 of GenerationRequest predates options.priority");
        }
        GenericRecord ref = new GenericData.Record(v1.getField("image").schema());
        ref.put("bucket", "loopline-inputs");
        ref.put("key", tenant + "/uploads/face.png");
        ref.put("sha256", "00");
        ref.put("size", 10L);
        GenericRecord options = new GenericData.Record(optionsSchema);
        options.put(
                "mode",
                new GenericData.EnumSymbol(optionsSchema.getField("mode").schema(), mode));
        options.put("output_size", outputSize);
        options.put("seed", seed);
        GenericRecord request = new GenericData.Record(v1);
        request.put("request_id", requestId);
        request.put("tenant", tenant);
        request.put("requested_at", REQUESTED_AT.toEpochMilli());
        request.put("image", ref);
        request.put("audio", ref);
        request.put("options", options);
        return singleObjectEncoded(v1, request);
    }

    /**
     * {@code event} as a producer still on released version {@code version} of its schema writes it:
     * today's record resolved to that version's shape (fields added since are dropped), then single-object
     * encoded with that version's schema, so the bytes carry its fingerprint.
     */
    public static byte[] writtenWithVersion(SpecificRecord event, int version) {
        Schema current = event.getSchema();
        Schema old = ReleasedSchemas.get().versions(current.getFullName()).stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(current.getFullName() + " has no version " + version))
                .schema();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(current).write(event, encoder);
            encoder.flush();
            GenericRecord asOld = new GenericDatumReader<GenericRecord>(current, old)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            return singleObjectEncoded(old, asOld);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code record} in Avro single-object encoding with writer schema {@code schema}. */
    public static byte[] singleObjectEncoded(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The outside fault harness's 23-byte record: a valid single-object header for {@code type}'s current schema,
     * then its first field (request_id) claiming a string of 2^31 − 9 bytes, and 8 bytes of zeros.
     */
    public static byte[] claimingTwoGigabytes(Class<? extends SpecificRecord> type) {
        ByteBuffer record = ByteBuffer.allocate(23).order(ByteOrder.LITTLE_ENDIAN);
        record.put((byte) 0xC3).put((byte) 0x01);
        record.putLong(
                SchemaNormalization.parsingFingerprint64(SpecificData.get().getSchema(type)));
        long zigZag = ((1L << 31) - 9) << 1;
        while ((zigZag & ~0x7FL) != 0) {
            record.put((byte) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        record.put((byte) zigZag);
        return record.array();
    }

    /** One sample of each catalog topic's value type. */
    public static Map<TopicSpec<?>, SpecificRecord> oneOfEach() {
        return Map.of(
                Topics.REQUESTS, request("t1", "r1"),
                Topics.MEDIA_VALIDATED, mediaValidated(),
                Topics.RENDER_TASKS, renderTask(),
                Topics.SEGMENTS_RENDERED, segmentRendered(),
                Topics.VIDEOS_COMPLETED, videoCompleted(),
                Topics.REQUESTS_FAILED, requestFailed(),
                Topics.STATUS, requestStatus());
    }
}
