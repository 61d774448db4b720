package io.loopline.ingest;

import io.loopline.core.kafka.InboundEvent;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.testing.TestClusters;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import io.loopline.events.Mode;
import io.loopline.events.ObjectRef;
import io.loopline.schemas.SampleEvents;
import io.loopline.schemas.Topic;
import io.loopline.schemas.Topics;
import io.loopline.tensor.BenchmarkMachine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Ingest time per request: one portrait photo + 30 s of speech (WAV), 512×512 output.
 * Measures the stage's own work (processor called directly, storage in-process) and the
 * end-to-end latency through the in-process broker (publish → media.validated).
 *
 * <pre>tools/bench.sh ingest</pre>
 */
public final class IngestBenchmark {

    private static final Path MEDIA = testMedia();
    private static final int WARMUP = 3;
    private static final int RUNS = 15;

    public static void main(String[] args) throws Exception {
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
            IngestConfig config = new IngestConfig(TestClusters.settings(infra, IngestConfig.SERVICE, Map.of()));
            ObjectStore store = new ObjectStore(config.storageSettings());
            store.ensureBuckets();
            Path speech30s = Files.createTempFile("speech-30s", ".wav");
            double seconds = repeatWav(MEDIA.resolve("good/speech.wav"), speech30s, 30.0);
            ObjectRef image = store.put(
                    store.inputsBucket(),
                    "bench/portrait.jpg",
                    MEDIA.resolve("good/photo-grace-hopper.jpg"),
                    "image/jpeg");
            ObjectRef audio = store.put(store.inputsBucket(), "bench/speech-30s.wav", speech30s, "audio/wav");
            Files.delete(speech30s);

            double[] direct = new double[RUNS];
            try (IngestProcessor processor = new IngestProcessor(config, store)) {
                for (int i = -WARMUP; i < RUNS; i++) {
                    GenerationRequest request = request("direct-" + i, image, audio);
                    long t0 = System.nanoTime();
                    processor.process(new InboundEvent<>("bench", 0, i, request.getRequestId(), request, null, 1));
                    if (i >= 0) {
                        direct[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }

            IngestService service = new IngestService(config);
            service.start();
            Topic<GenerationRequest> requests = config.topicCatalog().topic(Topics.REQUESTS);
            String validated = config.topicCatalog().name(Topics.MEDIA_VALIDATED);
            double[] endToEnd = new double[RUNS];
            Map<String, Object> consumerProps = new HashMap<>(config.kafkaClientConfigs());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                            consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                            config.kafkaClientConfigs(), new ByteArraySerializer(), new ByteArraySerializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(validated).stream()
                        .map(p -> new TopicPartition(validated, p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                for (int i = -WARMUP; i < RUNS; i++) {
                    GenerationRequest request = request("e2e-" + i, image, audio);
                    byte[] key = request.getRequestId().getBytes(StandardCharsets.UTF_8);
                    long t0 = System.nanoTime();
                    producer.send(new ProducerRecord<>(
                                    requests.name(),
                                    key,
                                    requests.valueSerde().serializer().serialize(requests.name(), request)))
                            .get();
                    boolean arrived = false;
                    while (!arrived) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                            arrived |= Arrays.equals(r.key(), key);
                        }
                    }
                    if (i >= 0) {
                        endToEnd[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            service.stop();

            System.out.printf(
                    Locale.ROOT,
                    "ingest benchmark: portrait 512x600 JPEG + %.1f s WAV speech -> 512x512, %d runs after %d warm-up%n",
                    seconds,
                    RUNS,
                    WARMUP);
            System.out.printf(
                    Locale.ROOT,
                    "  processor only   : median %6.0f ms   p90 %6.0f ms   min %6.0f ms%n",
                    pct(direct, 50),
                    pct(direct, 90),
                    pct(direct, 0));
            System.out.printf(
                    Locale.ROOT,
                    "  through the broker: median %6.0f ms   p90 %6.0f ms   min %6.0f ms%n",
                    pct(endToEnd, 50),
                    pct(endToEnd, 90),
                    pct(endToEnd, 0));
            System.out.println("  machine: " + BenchmarkMachine.describe());
        }
    }

    /** The test media on the test class path (the benchmark runs from any working directory). */
    private static Path testMedia() {
        try {
            return Path.of(IngestBenchmark.class
                            .getResource("/media/corpus.tsv")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GenerationRequest request(String id, ObjectRef image, ObjectRef audio) {
        return GenerationRequest.newBuilder()
                .setRequestId(id)
                .setTenant("bench")
                .setRequestedAt(SampleEvents.REQUESTED_AT)
                .setImage(image)
                .setAudio(audio)
                .setOptions(GenerationOptions.newBuilder()
                        .setMode(Mode.PORTRAIT)
                        .setOutputSize(512)
                        .setSeed(1)
                        .build())
                .build();
    }

    private static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.round(p / 100.0 * (sorted.length - 1)))];
    }

    /** Repeats a 16-bit PCM WAV's samples until {@code seconds} are reached; returns the duration written. */
    private static double repeatWav(Path source, Path target, double seconds) throws IOException {
        byte[] wav = Files.readAllBytes(source);
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int rate = b.getInt(24);
        int blockAlign = b.getShort(32);
        byte[] pcm = Arrays.copyOfRange(wav, 44, wav.length);
        int total = (int) (seconds * rate) * blockAlign;
        List<byte[]> parts = new ArrayList<>();
        for (int written = 0; written < total; written += pcm.length) {
            parts.add(written + pcm.length <= total ? pcm : Arrays.copyOf(pcm, total - written));
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            header.put(wav, 0, 44);
            header.putInt(4, 36 + total);
            header.putInt(40, total);
            out.write(header.array());
            for (byte[] part : parts) {
                out.write(part);
            }
        }
        return total / (double) (rate * blockAlign);
    }
}
