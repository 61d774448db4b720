package io.loopline.core.auth;

import io.loopline.events.GenerationRequest;
import io.loopline.events.ObjectRef;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A request's proof that it comes from its tenant: HMAC-SHA256 under the tenant's key of the fields that say
 * whose request it is and what it may read — tenant, request id, and each media reference with its SHA-256 and
 * size — so a producer without the key can neither claim the tenant nor point a signed request at other objects.
 * The signed text is a few UTF-8 lines any language can build ({@link #signedText}); the signature is base64url
 * without padding. Options are not signed: they grant no access.
 */
public final class RequestSignature {

    /** The first line of the signed text: the scheme's version, so that a later scheme cannot be confused with it. */
    public static final String SCHEME = "loopline-request-signature-v1";

    /** The shortest key accepted: 256 bits, HMAC-SHA256's own strength. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private RequestSignature() {}

    /**
     * What is signed: the scheme, then {@code tenant=}, {@code request_id=}, {@code image=} and {@code audio=} lines,
     * each reference as {@code bucket/key sha256=<hex> size=<bytes>}, every line ended by a newline.
     */
    public static String signedText(GenerationRequest request) {
        return SCHEME + "\n"
                + "tenant=" + request.getTenant() + "\n"
                + "request_id=" + request.getRequestId() + "\n"
                + "image=" + reference(request.getImage()) + "\n"
                + "audio=" + reference(request.getAudio()) + "\n";
    }

    private static String reference(ObjectRef ref) {
        return ref.getBucket() + "/" + ref.getKey() + " sha256=" + ref.getSha256() + " size=" + ref.getSize();
    }

    /**
     * A key as keys files hold it: base64, standard or URL-safe, padding optional.
     *
     * @throws IllegalArgumentException when it is not base64 or shorter than {@link #MIN_KEY_BYTES} (never quoting it)
     */
    public static byte[] decodeKey(String encoded) {
        byte[] key;
        try {
            key = Base64.getDecoder()
                    .decode(encoded.trim().replace('-', '+').replace('_', '/').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the key holds " + key.length + " bytes; at least " + MIN_KEY_BYTES + " are needed");
        }
        return key;
    }

    /** The request's signature under {@code key} (at least {@link #MIN_KEY_BYTES} bytes). */
    public static String sign(GenerationRequest request, byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "A tenant key must hold at least " + MIN_KEY_BYTES + " bytes, not " + key.length);
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            byte[] digest = mac.doFinal(signedText(request).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM has no " + ALGORITHM, e);
        }
    }

    /** Whether the request carries a valid signature under {@code key} (compared in constant time). */
    public static boolean verify(GenerationRequest request, byte[] key) {
        String claimed = request.getSignature();
        if (claimed == null) {
            return false;
        }
        return MessageDigest.isEqual(
                sign(request, key).getBytes(StandardCharsets.US_ASCII), claimed.getBytes(StandardCharsets.UTF_8));
    }
}
