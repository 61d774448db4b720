package io.loopline.core.requests;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.events.GenerationOptions;
import io.loopline.events.GenerationRequest;
import java.util.regex.Pattern;

/** The ranges a request's options must lie in; an option outside its range is refused naming both. */
public final class RequestValidator {

    public static final int MIN_OUTPUT_SIZE = 128;
    public static final int MAX_OUTPUT_SIZE = 1024;
    /** Sizes are multiples of 16: H.264 macroblocks and the latent grid both divide them. */
    public static final int OUTPUT_SIZE_STEP = 16;

    public static final int MIN_FPS = 10;
    public static final int MAX_FPS = 60;
    public static final int MIN_STEPS = 1;
    public static final int MAX_STEPS = 100;
    public static final float MAX_GUIDANCE = 20f;
    private static final Pattern MODEL_PACK = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private RequestValidator() {}

    public static void validate(GenerationRequest request) throws RequestRejectedException {
        if (!ObjectKeys.isValidRequestId(request.getRequestId())) {
            throw invalid(
                    "The request_id must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        validateOptions(request.getOptions());
    }

    /** The options alone: what a client can check before it uploads anything. */
    public static void validateOptions(GenerationOptions o) throws RequestRejectedException {
        Integer size = o.getOutputSize();
        if (size != null && (size < MIN_OUTPUT_SIZE || size > MAX_OUTPUT_SIZE || size % OUTPUT_SIZE_STEP != 0)) {
            throw invalid("Option output_size must be a multiple of " + OUTPUT_SIZE_STEP + " from " + MIN_OUTPUT_SIZE
                    + " to " + MAX_OUTPUT_SIZE + ", not " + size + ".");
        }
        Integer fps = o.getFps();
        if (fps != null && (fps < MIN_FPS || fps > MAX_FPS)) {
            throw invalid("Option fps must be from " + MIN_FPS + " to " + MAX_FPS + ", not " + fps + ".");
        }
        Integer steps = o.getSamplingSteps();
        if (steps != null && (steps < MIN_STEPS || steps > MAX_STEPS)) {
            throw invalid(
                    "Option sampling_steps must be from " + MIN_STEPS + " to " + MAX_STEPS + ", not " + steps + ".");
        }
        checkGuidance("audio_guidance", o.getAudioGuidance());
        checkGuidance("reference_guidance", o.getReferenceGuidance());
        String pack = o.getModelPack();
        if (pack != null && !MODEL_PACK.matcher(pack).matches()) {
            throw invalid("Option model_pack must be 1 to 64 lower-case letters, digits, '.', '_' or '-'.");
        }
    }

    private static void checkGuidance(String name, Float value) throws RequestRejectedException {
        if (value != null && !(value >= 0 && value <= MAX_GUIDANCE)) {
            throw invalid("Option " + name + " must be from 0 to " + (int) MAX_GUIDANCE + ", not " + value + ".");
        }
    }

    private static RequestRejectedException invalid(String message) {
        return new RequestRejectedException(ErrorCode.OPTION_INVALID, message);
    }
}
