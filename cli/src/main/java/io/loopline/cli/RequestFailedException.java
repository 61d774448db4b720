package io.loopline.cli;

import io.loopline.core.errors.ErrorCode;
import io.loopline.events.RequestFailed;
import java.util.Set;

/** The pipeline gave up on the request: its stable code and sentence, as the failure event told. */
final class RequestFailedException extends Exception {

    private static final long serialVersionUID = 1L;
    /** Codes that are about the pipeline, not about what was asked of it. */
    private static final Set<String> NOT_INPUT =
            Set.of(ErrorCode.INTERNAL_ERROR.name(), ErrorCode.RETRIES_EXHAUSTED.name());

    private final String code;

    RequestFailedException(RequestFailed failed) {
        super(failed.getMessage());
        this.code = failed.getErrorCode();
    }

    String code() {
        return code;
    }

    boolean invalidInput() {
        return !NOT_INPUT.contains(code);
    }
}
