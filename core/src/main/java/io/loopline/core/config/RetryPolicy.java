package io.loopline.core.config;

import java.time.Duration;

/**
 * Bounded retries with exponential backoff for transient faults.
 *
 * @param maxAttempts    attempts in all, the first one included
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff     cap of the wait, which doubles after each attempt
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Wait after failed attempt number {@code attempt} (1-based) before the next one. */
    public Duration backoffAfter(int attempt) {
        long initial = initialBackoff.toMillis();
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = initial << doublings;
        if (millis < initial) {
            millis = Long.MAX_VALUE;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    /** Whether another attempt follows failed attempt number {@code attempt}. */
    public boolean retriesAfter(int attempt) {
        return attempt < maxAttempts;
    }
}
