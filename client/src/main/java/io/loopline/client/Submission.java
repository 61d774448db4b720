package io.loopline.client;

import io.loopline.core.auth.RequestSignature;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.requests.RequestValidator;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.ObjectRef;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What an app does to ask for a video: upload the image and audio under the tenant's prefix, publish the request. */
public final class Submission {

    private Submission() {}

    /** A new request id: sortable by time, unique. */
    public static String newRequestId() {
        return String.format(
                Locale.ROOT,
                "%d-%s",
                System.currentTimeMillis(),
                UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * Uploads both files and publishes the request (acknowledged by the broker before returning).
     *
     * @throws RequestRejectedException INPUT_NOT_FOUND when a file does not exist or cannot be read
     */
    public static GenerationRequest submit(
            LooplineConfig config, String tenant, String requestId, Path image, Path audio, GenerationOptions options)
            throws RequestRejectedException, IOException {
        return submit(config, tenant, requestId, image, audio, options, null);
    }

    /**
     * Like {@link #submit(LooplineConfig, String, String, Path, Path, GenerationOptions)}, the request signed with
     * {@code tenantKey} (for an ingest that checks signatures; null: unsigned).
     */
    public static GenerationRequest submit(
            LooplineConfig config,
            String tenant,
            String requestId,
            Path image,
            Path audio,
            GenerationOptions options,
            byte[] tenantKey)
            throws RequestRejectedException, IOException {
        validate(tenant, requestId, options);
        requireReadable(image, "image");
        requireReadable(audio, "audio");
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        ObjectRef imageRef = upload(store, tenant, requestId, image, "image");
        ObjectRef audioRef = upload(store, tenant, requestId, audio, "audio");
        GenerationRequest request = GenerationRequest.newBuilder()
                .setRequestId(requestId)
                .setTenant(tenant)
                .setRequestedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setImage(imageRef)
                .setAudio(audioRef)
                .setOptions(options)
                .build();
        if (tenantKey != null) {
            request.setSignature(RequestSignature.sign(request, tenantKey));
        }
        Topic<GenerationRequest> topic = config.topicCatalog().topic(Topics.REQUESTS);
        try (KafkaProducer<String, GenerationRequest> producer = new KafkaProducer<>(
                Map.copyOf(config.kafkaClientConfigs()),
                new StringSerializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), requestId, request))
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(
                    "Could not publish the request to " + topic.name() + " on " + config.bootstrapServers() + ": "
                            + e.getMessage(),
                    e);
        }
        return request;
    }

    /**
     * Refuses what ingest would refuse without reading the media — the tenant, the request id (null: one is made
     * later) and the options — so that nothing is uploaded for a request that cannot be accepted.
     *
     * @throws RequestRejectedException OPTION_INVALID naming the option
     */
    public static void validate(String tenant, String requestId, GenerationOptions options)
            throws RequestRejectedException {
        if (!ObjectKeys.isValidTenant(tenant)) {
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID,
                    "The tenant \"" + ObjectKeys.printable(String.valueOf(tenant))
                            + "\" must be 1 to 63 lower-case letters, digits, '_' or '-', starting with a letter or digit.");
        }
        if (requestId != null && !ObjectKeys.isValidRequestId(requestId)) {
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID,
                    "The request id \"" + ObjectKeys.printable(requestId)
                            + "\" must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        RequestValidator.validateOptions(options);
    }

    /** @throws RequestRejectedException INPUT_NOT_FOUND when {@code file} is not a readable file */
    public static void requireReadable(Path file, String what) throws RequestRejectedException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new RequestRejectedException(
                    ErrorCode.INPUT_NOT_FOUND, "The " + what + " file " + file + " does not exist or cannot be read.");
        }
    }

    private static ObjectRef upload(ObjectStore store, String tenant, String requestId, Path file, String what)
            throws IOException {
        String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        String key = tenant + "/uploads/" + requestId + "/" + what + "-" + name;
        return store.put(store.inputsBucket(), key, file, "application/octet-stream");
    }
}
