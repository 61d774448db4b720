package io.loopline.core.testing;

import io.loopline.core.storage.ObjectStore;
import io.loopline.core.storage.StorageSettings;
import io.loopline.embedded.EmbeddedS3;

/** Object stores for tests, over an in-process S3 server. */
public final class TestStores {

    private TestStores() {}

    /** A store on {@code s3} with the default bucket names, its buckets created. */
    public static ObjectStore on(EmbeddedS3 s3) {
        ObjectStore store = new ObjectStore(new StorageSettings(
                s3.endpoint(),
                s3.region(),
                s3.accessKey(),
                s3.secretKey(),
                "loopline-inputs",
                "loopline-work",
                "loopline-outputs",
                true));
        store.ensureBuckets();
        return store;
    }
}
