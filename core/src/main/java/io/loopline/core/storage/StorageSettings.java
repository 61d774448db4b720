package io.loopline.core.storage;

import java.util.Objects;

/**
 * How to reach object storage and which buckets to use.
 *
 * @param createBuckets create missing buckets at start
 */
public record StorageSettings(
        String endpoint,
        String region,
        String accessKey,
        String secretKey,
        String inputsBucket,
        String workBucket,
        String outputsBucket,
        boolean createBuckets) {

    public StorageSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(inputsBucket, "inputsBucket");
        Objects.requireNonNull(workBucket, "workBucket");
        Objects.requireNonNull(outputsBucket, "outputsBucket");
    }

    @Override
    public String toString() {
        return "StorageSettings[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=[hidden], buckets=" + inputsBucket + "/" + workBucket + "/" + outputsBucket + "]";
    }
}
