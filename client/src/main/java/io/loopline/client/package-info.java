/**
 * What a Java app needs to ask Loopline for videos, on the plain Kafka and S3 clients: {@link
 * io.loopline.client.Submission} checks a request, uploads its media under the tenant's prefix, signs it with the
 * tenant's key (when the cluster checks signatures) and publishes it; {@link io.loopline.client.RequestEvents} follows
 * the request to its {@code videos.completed} (with a presigned URL of the MP4) or {@code requests.failed}, waiting out
 * broker outages. The {@code loopline submit}, {@code status} and {@code fetch} commands are built on these two.
 *
 * <pre>{@code
 * LooplineConfig cluster = new LooplineConfig("my-app", Map.of(
 *         "kafka.bootstrap.servers", "kafka:9092", "s3.endpoint", "http://minio:9000",
 *         "s3.access.key", accessKey, "s3.secret.key", secretKey));
 * String id = Submission.newRequestId();
 * Submission.submit(cluster, "acme", id, Path.of("face.jpg"), Path.of("speech.wav"),
 *         GenerationOptions.newBuilder().setSeed(1).build(), tenantKey);
 * try (RequestEvents events = new RequestEvents(cluster, id)) {
 *     RequestEvents.Snapshot outcome = events.untilFinished(Duration.ofSeconds(1), Duration.ofMinutes(10), s -> {});
 *     outcome.completed().ifPresent(video -> System.out.println(video.getPresignedUrl()));
 *     outcome.failed().ifPresent(f -> System.err.println(f.getErrorCode() + ": " + f.getMessage()));
 * }
 * }</pre>
 */
package io.loopline.client;
