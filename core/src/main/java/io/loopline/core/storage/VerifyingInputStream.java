package io.loopline.core.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes bytes through while hashing them; at end of stream, fails with {@link IntegrityException}
 * unless the size and SHA-256 are the expected ones. A reader that stops early is not checked.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final MessageDigest digest = Sha256.newDigest();
    private final long expectedSize;
    private final String expectedSha256;
    private final String what;
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, long expectedSize, String expectedSha256, String what) {
        super(in);
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
            verify();
        } else {
            digest.update(buf, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too.
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (verified) {
            return;
        }
        verified = true;
        if (count != expectedSize) {
            throw new IntegrityException(what + " has " + count + " bytes, expected " + expectedSize);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new IntegrityException(what + " has SHA-256 " + actual + ", expected " + expectedSha256);
        }
    }
}
