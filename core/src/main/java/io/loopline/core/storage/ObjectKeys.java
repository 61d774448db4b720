package io.loopline.core.storage;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.events.ObjectRef;
import io.loopline.events.Stage;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Object keys: the deterministic keys stages write ({@code {tenant}/{request_id}/{stage}/{name}}),
 * so that a retried or replayed stage overwrites the same object with the same bytes, and the check
 * that a request only references its own tenant's uploads.
 */
public final class ObjectKeys {

    /** Tenant ids: lower-case letters, digits, '-' and '_', 1-63 characters, starting with a letter or digit. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Request ids: letters, digits, '-', '_' and '.', 1-128 characters, starting with a letter or digit. */
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Names of ingest's outputs under {@code {tenant}/{request}/ingest/}; later stages derive these keys too. */
    public static final String REFERENCE_IMAGE = "reference.png";

    public static final String LANDMARKS = "landmarks.npy";
    /** Half body only: the pose landmarks, the person mask, and one landmark file per hand found. */
    public static final String POSE_LANDMARKS = "pose-landmarks.npy";

    public static final String PERSON_MASK = "person-mask.png";
    public static final String LEFT_HAND_LANDMARKS = "hand-left.npy";
    public static final String RIGHT_HAND_LANDMARKS = "hand-right.npy";
    public static final String NORMALIZED_AUDIO = "audio-16k.npy";
    public static final String ORIGINAL_AUDIO = "original-audio";
    /** Name of mux's output under {@code {tenant}/{request}/mux/} in the outputs bucket. */
    public static final String VIDEO = "video.mp4";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    private static final int MAX_KEY_LENGTH = 1024;

    private ObjectKeys() {}

    /**
     * The key of an object a stage derives for a request.
     *
     * @param name file name, possibly with sub-folders ({@code frames/segment-0001.bin})
     */
    public static String derived(String tenant, String requestId, Stage stage, String name) {
        requireMatch(TENANT, tenant, "tenant");
        requireMatch(REQUEST_ID, requestId, "request id");
        if (stage == null || stage == Stage.UNKNOWN) {
            throw new IllegalArgumentException("A derived key needs a known stage, not " + stage);
        }
        String key = tenant + "/" + requestId + "/" + stage.name().toLowerCase(Locale.ROOT) + "/" + name;
        checkPlainKey(key);
        return key;
    }

    /** Whether {@code tenant} is a valid tenant id. */
    public static boolean isValidTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    /** Whether {@code requestId} is a valid request id. */
    public static boolean isValidRequestId(String requestId) {
        return requestId != null && REQUEST_ID.matcher(requestId).matches();
    }

    /**
     * Refuses a reference a request may not use: anything but a plain key under {@code tenant/} in
     * the inputs bucket. Refused: other buckets, other tenants' prefixes, {@code ..} and {@code .}
     * segments, absolute keys, URLs and schemes, backslashes, percent-escapes, control characters,
     * empty segments and over-long keys.
     *
     * @param what what the reference is, for the message ("image", "audio")
     */
    public static void checkTenantInput(ObjectRef ref, String tenant, String inputsBucket, String what)
            throws RequestRejectedException {
        if (ref == null || ref.getKey() == null || ref.getBucket() == null) {
            throw forbidden(what + " reference is missing its bucket or key.");
        }
        if (!isValidTenant(tenant)) {
            throw forbidden(
                    "The tenant id \"" + printable(tenant) + "\" is not valid, so no " + what + " can be read for it.");
        }
        if (!inputsBucket.equals(ref.getBucket())) {
            throw forbidden("The " + what + " must be in the inputs bucket \"" + inputsBucket + "\", not \""
                    + printable(ref.getBucket()) + "\".");
        }
        String key = ref.getKey();
        String problem = plainKeyProblem(key);
        if (problem != null) {
            throw forbidden("The " + what + " key \"" + printable(key) + "\" is refused: " + problem + ".");
        }
        if (!key.startsWith(tenant + "/")) {
            throw forbidden("The " + what + " key \"" + printable(key) + "\" is outside tenant \"" + tenant
                    + "\"'s prefix \"" + tenant + "/\".");
        }
    }

    private static RequestRejectedException forbidden(String message) {
        return new RequestRejectedException(ErrorCode.REF_FORBIDDEN, message);
    }

    private static void checkPlainKey(String key) {
        String problem = plainKeyProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid object key \"" + printable(key) + "\": " + problem);
        }
    }

    /** Why {@code key} is not a plain relative key, or null when it is. */
    static String plainKeyProblem(String key) {
        if (key.isEmpty()) {
            return "it is empty";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "it is longer than " + MAX_KEY_LENGTH + " characters";
        }
        if (key.contains("://") || key.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return "it looks like a URL";
        }
        if (key.startsWith("/")) {
            return "it is absolute";
        }
        if (key.indexOf('\\') >= 0) {
            return "it contains a backslash";
        }
        if (key.indexOf('%') >= 0) {
            return "it contains a percent-escape";
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                return "it contains a control character";
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                return "it has an empty path segment";
            }
            if (segment.equals("..") || segment.equals(".")) {
                return "it contains a '" + segment + "' segment";
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return "segment \"" + segment + "\" has characters other than letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    private static void requireMatch(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("Invalid " + what + " \"" + printable(value) + "\"");
        }
    }

    /** The value with control characters escaped and its length capped, safe to put in a message. */
    public static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < 200; i++) {
            char c = value.charAt(i);
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 200 ? sb + "…" : sb.toString();
    }
}
