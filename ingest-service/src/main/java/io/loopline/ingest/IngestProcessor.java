package io.loopline.ingest;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.loopline.core.auth.RequestSignature;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.kafka.InboundEvent;
import io.loopline.core.kafka.OutboundEvent;
import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.requests.RequestValidator;
import io.loopline.core.storage.IntegrityException;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.BodyGeometry;
import io.loopline.events.FaceGeometry;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.HandGeometry;
import io.loopline.events.HandSide;
import io.loopline.events.MediaValidated;
import io.loopline.events.Mode;
import io.loopline.events.MouthRest;
import io.loopline.events.MouthRestState;
import io.loopline.events.ObjectRef;
import io.loopline.events.Stage;
import io.loopline.events.Warning;
import io.loopline.ingest.internals.AudioNormalizer;
import io.loopline.ingest.internals.Body;
import io.loopline.ingest.internals.BodyAnalyzer;
import io.loopline.ingest.internals.Face;
import io.loopline.ingest.internals.FaceAnalyzer;
import io.loopline.ingest.internals.Framing;
import io.loopline.ingest.internals.ImageHeader;
import io.loopline.ingest.internals.ImageLoader;
import io.loopline.ingest.internals.MouthAnalyzer;
import io.loopline.ingest.internals.TenantKeys;
import io.loopline.schemas.EventFields;
import io.loopline.schemas.Topics;
import io.loopline.tensor.Landmarks;
import io.loopline.tensor.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.io.FileUtils;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest's work on one request: everything that can be known before GPU time is spent is checked
 * here, cheapest first (options, references, sizes, headers), then the image is decoded, the face
 * found and framed, the audio decoded and normalized. Outputs are written under deterministic keys
 * {@code {tenant}/{request}/ingest/…} so that reprocessing writes the same bytes and an equal event.
 */
public final class IngestProcessor implements StageProcessor<GenerationRequest>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngestProcessor.class);
    /** Warning: the mouth's rest state was measured from less evidence than usual (tiny mouth, unsure mesh). */
    static final String MOUTH_REST_UNCERTAIN = "MOUTH_REST_UNCERTAIN";
    /** Warning: half body was asked for but no torso is visible; the video is a portrait. */
    static final String BODY_NOT_VISIBLE = "BODY_NOT_VISIBLE";
    /** Warning: half body, but no hand is whole in the picture; the body is animated without hands. */
    static final String HANDS_NOT_VISIBLE = "HANDS_NOT_VISIBLE";

    private final IngestConfig config;
    private final ObjectStore store;
    private final FaceAnalyzer faces;
    private final BodyAnalyzer bodies;

    /** The tenants' keys when requests must be signed ({@code ingest.tenant.keys.file}); empty otherwise. */
    private final Optional<TenantKeys> tenantKeys;

    public IngestProcessor(IngestConfig config, ObjectStore store) {
        this.config = config;
        this.store = store;
        this.tenantKeys = config.tenantKeysFile().map(TenantKeys::load);
        this.faces = new FaceAnalyzer();
        this.bodies = new BodyAnalyzer();
    }

    @Override
    public List<OutboundEvent<?>> process(InboundEvent<GenerationRequest> event)
            throws RequestRejectedException, IOException {
        GenerationRequest request = event.value();
        RequestValidator.validate(request);
        authenticate(request);
        String tenant = request.getTenant();
        ObjectKeys.checkTenantInput(request.getImage(), tenant, store.inputsBucket(), "image");
        ObjectKeys.checkTenantInput(request.getAudio(), tenant, store.inputsBucket(), "audio");
        checkStoredSize(request.getImage(), "image", config.imageMaxBytes(), ErrorCode.IMAGE_TOO_LARGE);
        checkStoredSize(request.getAudio(), "audio", config.audioMaxBytes(), ErrorCode.AUDIO_TOO_LARGE);

        Path work = Files.createTempDirectory("loopline-ingest-");
        try {
            List<Warning> warnings = new ArrayList<>();
            int size = request.getOptions().getOutputSize() != null
                    ? request.getOptions().getOutputSize()
                    : config.defaultOutputSize();
            FramedFace framed = normalizeImage(request, size, warnings);
            AudioResult audio = normalizeAudio(request, work, warnings);
            MediaValidated validated = EventFields.copyEnvelope(request, MediaValidated.newBuilder())
                    .setOptions(GenerationOptions.newBuilder(request.getOptions())
                            .setMode(framed.mode())
                            .build())
                    .setImage(framed.image())
                    .setImageWidth(size)
                    .setImageHeight(size)
                    .setFace(framed.geometry())
                    .setBody(framed.body())
                    .setAudio(audio.normalized())
                    .setOriginalAudio(audio.original())
                    .setAudioDurationMs(audio.durationMs())
                    .setWarnings(warnings)
                    .build();
            return List.of(OutboundEvent.of(Topics.MEDIA_VALIDATED, request.getRequestId(), validated));
        } finally {
            FileUtils.deleteQuietly(work.toFile());
        }
    }

    /**
     * With tenant keys, only a request signed with a key of the tenant it names goes on, before anything is read
     * from storage; the refusal says nothing about the objects it names.
     */
    private void authenticate(GenerationRequest request) throws RequestRejectedException {
        if (tenantKeys.isEmpty()) {
            return;
        }
        for (byte[] key : tenantKeys.get().of(request.getTenant())) {
            if (RequestSignature.verify(request, key)) {
                return;
            }
        }
        throw new RequestRejectedException(
                ErrorCode.REQUEST_UNAUTHENTICATED,
                "The request is not signed with a key of tenant \"" + ObjectKeys.printable(request.getTenant())
                        + "\"; sign it with the key your operators gave you (docs/events.md, signed requests).");
    }

    /** The framed reference image, the mode it is framed for, and what was found in it. */
    private record FramedFace(ObjectRef image, Mode mode, FaceGeometry geometry, BodyGeometry body) {}

    private record AudioResult(ObjectRef normalized, ObjectRef original, long durationMs) {}

    private FramedFace normalizeImage(GenerationRequest request, int size, List<Warning> warnings)
            throws RequestRejectedException, IOException {
        byte[] bytes = readInput(request.getImage(), "image");
        ImageHeader header = ImageHeader.parse(bytes);
        if (header.pixels() > config.imageMaxPixels()) {
            throw new RequestRejectedException(
                    ErrorCode.IMAGE_TOO_LARGE,
                    String.format(
                            Locale.ROOT,
                            "The image declares %d×%d pixels (%.1f megapixels), over the limit of %.1f megapixels.",
                            header.width(),
                            header.height(),
                            header.pixels() / 1e6,
                            config.imageMaxPixels() / 1e6));
        }
        try (Mat bgr = ImageLoader.decode(bytes, header)) {
            Face face = chooseFace(faces.analyze(bgr), bgr);
            float faceSize = Math.max(face.width(), face.height());
            if (faceSize < config.faceMinPixels()) {
                throw new RequestRejectedException(
                        ErrorCode.FACE_TOO_SMALL,
                        String.format(
                                Locale.ROOT,
                                "The face is only %.0f pixels tall; at least %d pixels are needed to animate it.",
                                faceSize,
                                config.faceMinPixels()));
            }
            checkMouthInside(face.landmarks(), bgr, "image");
            Mode requested = request.getOptions().getMode();
            Optional<Body> body = requested == Mode.PORTRAIT ? Optional.empty() : bodies.analyze(bgr, face);
            Mode mode = chooseMode(requested, body, bgr, warnings);
            Framing.Framed framed = mode == Mode.HALF_BODY
                    ? Framing.frameHalfBody(bgr, face, body.orElseThrow(), size)
                    : Framing.frame(bgr, face, size);
            try (Mat out = framed.image()) {
                if (framed.scale() > config.faceUpscaleWarning()) {
                    warnings.add(new Warning(
                            "FACE_UPSCALED",
                            String.format(
                                    Locale.ROOT,
                                    "The face is %.0f pixels tall and was enlarged %.1f× to fill the frame; a larger portrait gives a sharper video.",
                                    faceSize,
                                    framed.scale())));
                }
                if (face.detector().equals("haar-fallback")) {
                    warnings.add(
                            new Warning(
                                    "FACE_DETECTOR_FALLBACK",
                                    "The face was found only by the fallback detector; check that the right face is animated."));
                }
                float[] landmarks = framed.mapLandmarks(face.landmarks());
                MouthRest mouth = mouthRest(bgr, out, face, framed, landmarks, warnings);
                ObjectRef image =
                        store.put(store.workBucket(), key(request, ObjectKeys.REFERENCE_IMAGE), png(out), "image/png");
                ObjectRef landmarkRef = store.put(
                        store.workBucket(),
                        key(request, ObjectKeys.LANDMARKS),
                        Npy.toBytes(new Npy.FloatTensor(new int[] {Face.LANDMARK_COUNT, 3}, landmarks)),
                        "application/x-npy");
                BodyGeometry bodyGeometry =
                        mode == Mode.HALF_BODY ? storeBody(request, body.orElseThrow(), framed, out) : null;
                if (bodyGeometry != null && bodyGeometry.getHands().isEmpty()) {
                    warnings.add(new Warning(
                            HANDS_NOT_VISIBLE,
                            "No whole hand is in the picture (hidden, or cut off by the image's edge); the body is"
                                    + " animated without hands."));
                }
                return new FramedFace(image, mode, geometry(face, landmarks, landmarkRef, mouth), bodyGeometry);
            }
        }
    }

    /**
     * The mode the video is made in: half body where it was asked for (or left to ingest) and the torso is seen; in
     * AUTO mode only when a hand is seen whole too. A request for half body that cannot have one says why.
     */
    private static Mode chooseMode(Mode requested, Optional<Body> body, Mat bgr, List<Warning> warnings) {
        if (requested == Mode.PORTRAIT) {
            return Mode.PORTRAIT;
        }
        boolean torso = body.isPresent() && body.get().torsoVisible(bgr.cols(), bgr.rows());
        boolean hands = torso && !body.get().wholeHands().isEmpty();
        if (requested == Mode.AUTO) {
            return hands ? Mode.HALF_BODY : Mode.PORTRAIT;
        }
        if (!torso) {
            warnings.add(new Warning(
                    BODY_NOT_VISIBLE,
                    "Half body was asked for, but no shoulders are visible in the image; the video is a head-and-shoulders"
                            + " portrait."));
            return Mode.PORTRAIT;
        }
        return Mode.HALF_BODY; // with or without hands: storeBody says when none is in the frame
    }

    /**
     * The body in the frame's pixels: its pose landmarks, the hands that lie whole inside the frame, and the mask
     * that tells the person from the background.
     */
    private BodyGeometry storeBody(GenerationRequest request, Body body, Framing.Framed framed, Mat frame)
            throws IOException {
        float[] pose = framed.mapPoints(body.pose(), Body.POSE_VALUES);
        ObjectRef poseRef = store.put(
                store.workBucket(),
                key(request, ObjectKeys.POSE_LANDMARKS),
                Npy.toBytes(new Npy.FloatTensor(new int[] {Body.POSE_LANDMARK_COUNT, Body.POSE_VALUES}, pose)),
                "application/x-npy");
        List<HandGeometry> hands = new ArrayList<>();
        for (Body.Hand hand : body.hands()) {
            Body.Hand inFrame = new Body.Hand(
                    hand.side(), framed.mapLandmarks(hand.landmarks()), hand.presence(), hand.insideFraction());
            float[] box = inFrame.box();
            if (box[0] < 0 || box[1] < 0 || box[2] >= frame.cols() || box[3] >= frame.rows()) {
                continue; // cut off by the frame
            }
            String name =
                    hand.side() == Body.Side.LEFT ? ObjectKeys.LEFT_HAND_LANDMARKS : ObjectKeys.RIGHT_HAND_LANDMARKS;
            ObjectRef landmarks = store.put(
                    store.workBucket(),
                    key(request, name),
                    Npy.toBytes(new Npy.FloatTensor(new int[] {Body.Hand.LANDMARK_COUNT, 3}, inFrame.landmarks())),
                    "application/x-npy");
            hands.add(HandGeometry.newBuilder()
                    .setSide(HandSide.valueOf(hand.side().name()))
                    .setBoxX(box[0])
                    .setBoxY(box[1])
                    .setBoxWidth(box[2] - box[0])
                    .setBoxHeight(box[3] - box[1])
                    .setConfidence(hand.presence())
                    .setLandmarks(landmarks)
                    .build());
        }
        ObjectRef mask;
        try (Mat personMask = bodies.personMask(frame)) {
            mask = store.put(store.workBucket(), key(request, ObjectKeys.PERSON_MASK), png(personMask), "image/png");
        }
        return BodyGeometry.newBuilder()
                .setPoseLandmarkCount(Body.POSE_LANDMARK_COUNT)
                .setPoseLandmarks(poseRef)
                .setPresence(body.presence())
                .setHands(hands)
                .setPersonMask(mask)
                .build();
    }

    /** A mouth cut off by the picture's edge cannot be animated: the renderer would move lips that are not there. */
    private static void checkMouthInside(float[] landmarks, Mat image, String where) throws RequestRejectedException {
        try {
            MouthAnalyzer.checkInside(landmarks, image.cols(), image.rows(), where);
        } catch (MouthAnalyzer.MouthNotFound e) {
            throw new RequestRejectedException(ErrorCode.NO_MOUTH, e.getMessage());
        }
    }

    /**
     * The mouth's rest state, for the renderer to start from. Its pixels are read where there are more
     * of them: in the upload when framing shrinks it, in the frame when framing enlarges it (interpolated
     * pixels still keep the lip edges' blur away from the opening).
     */
    private static MouthRest mouthRest(
            Mat source,
            Mat reference,
            Face face,
            Framing.Framed framed,
            float[] referenceLandmarks,
            List<Warning> warnings)
            throws RequestRejectedException {
        checkMouthInside(referenceLandmarks, reference, "frame");
        float sourceMouthPixels = MouthAnalyzer.mouthPixels(face.landmarks());
        boolean inReference = framed.scale() >= 1;
        MouthAnalyzer.Measurement m;
        try {
            m = inReference
                    ? MouthAnalyzer.measure(reference, referenceLandmarks, sourceMouthPixels)
                    : MouthAnalyzer.measure(source, face.landmarks(), sourceMouthPixels);
        } catch (MouthAnalyzer.MouthNotFound e) {
            throw new RequestRejectedException(ErrorCode.NO_MOUTH, e.getMessage());
        }
        String uncertainty = m.uncertainty();
        if (uncertainty == null && face.presence() < MouthAnalyzer.MIN_MESH_PRESENCE) {
            uncertainty = String.format(
                    Locale.ROOT,
                    "The face mesh is unsure of this face (confidence %.2f), so the mouth's measured rest state may be off.",
                    face.presence());
        }
        if (uncertainty != null) {
            warnings.add(new Warning(MOUTH_REST_UNCERTAIN, uncertainty));
        }
        MouthAnalyzer.Shape shape = m.shape();
        List<Float> profile = new ArrayList<>();
        for (float gap : shape.lipGapProfile()) {
            profile.add(gap);
        }
        return MouthRest.newBuilder()
                .setState(MouthRestState.valueOf(m.state().name()))
                .setLipGap(shape.lipGap())
                .setLipGapProfile(profile)
                .setUpperLipThickness(shape.upperLipThickness())
                .setLowerLipThickness(shape.lowerLipThickness())
                .setMouthWidth(shape.mouthWidth())
                .setCornerLift(shape.cornerLift())
                .setTeethVisible(m.state() == MouthAnalyzer.State.TEETH)
                .setTeethFraction(m.opening().teethFraction())
                .setPixelsChecked(m.opening().checked())
                .setEyeDistance((float) (shape.eyeDistancePx() * (inReference ? 1 : framed.scale())))
                .build();
    }

    private Face chooseFace(List<Face> found, Mat bgr) throws RequestRejectedException {
        if (found.isEmpty()) {
            Optional<Integer> turned = faces.turnedFace(bgr);
            if (turned.isPresent()) {
                throw notUpright(turned.get());
            }
            throw new RequestRejectedException(
                    ErrorCode.NO_FACE,
                    "No face was found in the image; use a portrait in which one face is clearly visible.");
        }
        List<Face> bySize = new ArrayList<>(found);
        bySize.sort(Comparator.comparingDouble(Face::area).reversed());
        if (bySize.size() > 1
                && bySize.get(0).area()
                        < config.faceDominanceRatio() * bySize.get(1).area()) {
            throw new RequestRejectedException(
                    ErrorCode.MULTIPLE_FACES,
                    "The image shows " + bySize.size()
                            + " faces of similar size; crop it to the one person to animate.");
        }
        Face chosen = bySize.get(0);
        // Motion is made for an upright head: a face lying on its side or upside down would move wrongly.
        int turn = FaceAnalyzer.uprightTurn(chosen);
        if (turn != 0) {
            throw notUpright(turn);
        }
        return chosen;
    }

    private static RequestRejectedException notUpright(int clockwiseDegrees) {
        return new RequestRejectedException(
                ErrorCode.NO_FACE,
                "No upright face was found, but there is one when the image is turned " + clockwiseDegrees
                        + "° clockwise; turn the image so the face is upright and submit it again.");
    }

    private static FaceGeometry geometry(Face face, float[] landmarks, ObjectRef landmarkRef, MouthRest mouth) {
        float[] box = Landmarks.bounds(landmarks);
        return FaceGeometry.newBuilder()
                .setBoxX(box[0])
                .setBoxY(box[1])
                .setBoxWidth(box[2] - box[0])
                .setBoxHeight(box[3] - box[1])
                .setConfidence(face.score())
                .setDetector(face.detector())
                .setLandmarkCount(Face.LANDMARK_COUNT)
                .setLandmarks(landmarkRef)
                .setMouthRest(mouth)
                .build();
    }

    private AudioResult normalizeAudio(GenerationRequest request, Path work, List<Warning> warnings)
            throws RequestRejectedException, IOException {
        Path original = work.resolve("original");
        try {
            store.download(request.getAudio(), original);
        } catch (ObjectNotFoundException e) {
            throw notFound("audio", request.getAudio());
        } catch (IntegrityException e) {
            throw changed("audio", e);
        }
        Path normalized = work.resolve(ObjectKeys.NORMALIZED_AUDIO);
        AudioNormalizer.NormalizedAudio audio = AudioNormalizer.normalize(original, normalized, config.audioLimits());
        warnings.addAll(audio.warnings());
        ObjectRef normalizedRef = store.put(
                store.workBucket(), key(request, ObjectKeys.NORMALIZED_AUDIO), normalized, "application/x-npy");
        // A copy of the original under the request's own prefix: mux muxes it even if the app deletes its upload.
        ObjectRef originalRef = store.put(
                store.workBucket(), key(request, ObjectKeys.ORIGINAL_AUDIO), original, "application/octet-stream");
        log.debug(
                "Request {}: {} ms of audio, peak {}, rms {}",
                request.getRequestId(),
                audio.durationMs(),
                audio.peak(),
                audio.rms());
        return new AudioResult(normalizedRef, originalRef, audio.durationMs());
    }

    private void checkStoredSize(ObjectRef ref, String what, long limit, ErrorCode tooLarge)
            throws RequestRejectedException {
        var info = store.stat(ref.getBucket(), ref.getKey()).orElseThrow(() -> notFound(what, ref));
        if (info.size() > limit) {
            throw new RequestRejectedException(
                    tooLarge,
                    String.format(
                            Locale.ROOT,
                            "The %s file is %.1f MB, over the limit of %.1f MB.",
                            what,
                            info.size() / 1e6,
                            limit / 1e6));
        }
    }

    private byte[] readInput(ObjectRef ref, String what) throws RequestRejectedException, IOException {
        try {
            return store.readAllBytes(ref);
        } catch (ObjectNotFoundException e) {
            throw notFound(what, ref);
        } catch (IntegrityException e) {
            throw changed(what, e);
        }
    }

    private static RequestRejectedException notFound(String what, ObjectRef ref) {
        return new RequestRejectedException(
                ErrorCode.INPUT_NOT_FOUND,
                "The " + what + " \"" + ref.getKey() + "\" does not exist in bucket \"" + ref.getBucket() + "\".");
    }

    private static RequestRejectedException changed(String what, IntegrityException e) {
        // The stored object's own size and digest stay in the log: the message tells the requester nothing about it.
        log.info("The stored {} does not match its request: {}", what, e.getMessage());
        return new RequestRejectedException(
                ErrorCode.INPUT_CHANGED,
                "The stored " + what + " does not match the size and SHA-256 the request states; upload it again and"
                        + " resubmit.");
    }

    private static String key(GenerationRequest request, String name) {
        return ObjectKeys.derived(request.getTenant(), request.getRequestId(), Stage.INGEST, name);
    }

    private static byte[] png(Mat image) {
        try (BytePointer buffer = new BytePointer()) {
            if (!imencode(".png", image, buffer)) {
                throw new IllegalStateException("PNG encoding failed");
            }
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }

    @Override
    public void close() {
        faces.close();
        bodies.close();
    }
}
