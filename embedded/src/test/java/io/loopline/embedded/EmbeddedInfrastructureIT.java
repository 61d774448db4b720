package io.loopline.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class EmbeddedInfrastructureIT {

    @Test
    void brokerAndS3ServeRealClientsAndCleanUp() throws Exception {
        String endpoint;
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start()) {
            String bootstrap = infra.kafka().bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("smoke", 2, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("smoke", "k", "hello")).get();
            }
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of("bootstrap.servers", bootstrap, "group.id", "smoke", "auto.offset.reset", "earliest"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(Set.of("smoke"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                }
            }
            assertThat(seen).extracting(ConsumerRecord::value).containsExactly("hello");

            endpoint = infra.s3().endpoint();
            MinioClient minio = MinioClient.builder()
                    .endpoint(endpoint)
                    .region(infra.s3().region())
                    .credentials(infra.s3().accessKey(), infra.s3().secretKey())
                    .build();
            minio.makeBucket(MakeBucketArgs.builder().bucket("smoke").build());
            byte[] body = "bytes".getBytes(StandardCharsets.UTF_8);
            minio.putObject(PutObjectArgs.builder().bucket("smoke").object("a/b").stream(
                            new ByteArrayInputStream(body), (long) body.length, -1L)
                    .build());
            try (var in = minio.getObject(
                    GetObjectArgs.builder().bucket("smoke").object("a/b").build())) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            MinioClient wrongKey = MinioClient.builder()
                    .endpoint(endpoint)
                    .region("us-east-1")
                    .credentials(infra.s3().accessKey(), "not-the-secret")
                    .build();
            Assertions.assertThatThrownBy(() -> wrongKey.bucketExists(
                            BucketExistsArgs.builder().bucket("smoke").build()))
                    .isInstanceOfSatisfying(
                            ErrorResponseException.class,
                            e -> assertThat(e.response().code()).isEqualTo(403));
        }
    }
}
