package io.loopline.packstage;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.service.StageService;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.Stage;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.pack.PackValidationException;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.schemas.TopicSpec;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A stage service that runs model packs: its workers share one set of ONNX Runtime sessions and one
 * pack registry, opened at start (failing fast if the default pack cannot be loaded).
 */
public abstract class PackStageService<V extends SpecificRecord> extends StageService<V> {

    private final LooplineConfig config;
    private OnnxSessions sessions;
    private PackRegistry packs;

    protected PackStageService(LooplineConfig config, Stage stage, TopicSpec<V> input, int workers) {
        super(config, stage, input, workers);
        this.config = config;
    }

    /**
     * The pack a request asks for from {@code packs}, or the request's stable refusal: an unknown pack
     * (naming the installed ones) or one that fails validation.
     */
    public static ModelPack packFor(PackRegistry packs, String name) throws RequestRejectedException {
        try {
            return packs.find(name)
                    .orElseThrow(() -> new RequestRejectedException(
                            ErrorCode.MODEL_PACK_UNKNOWN,
                            "The model pack \"" + name + "\" is not installed; available: "
                                    + String.join(", ", packs.available()) + "."));
        } catch (PackValidationException e) {
            throw new RequestRejectedException(
                    ErrorCode.MODEL_PACK_INVALID,
                    "The model pack \"" + name + "\" cannot be used: " + e.getMessage() + ".",
                    Map.of(),
                    e);
        }
    }

    /** A processor for one worker thread, with the shared packs. */
    protected abstract StageProcessor<V> newProcessor(ObjectStore store, PackRegistry packs);

    @Override
    protected final void openShared(ObjectStore store) {
        sessions = new OnnxSessions(ModelOptions.runtimeOptions(config));
        packs = ModelOptions.packRegistry(config, sessions);
        packs.require(ModelOptions.defaultPack(config));
    }

    @Override
    protected final StageProcessor<V> newProcessor(ObjectStore store) {
        return newProcessor(store, packs);
    }

    @Override
    protected final void closeShared(boolean idle) {
        if (sessions != null && idle) {
            sessions.close();
        }
        sessions = null;
        packs = null;
    }
}
