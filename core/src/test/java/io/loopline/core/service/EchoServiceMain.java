package io.loopline.core.service;

import io.loopline.core.config.ConfigSources;
import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.OutboundEvent;
import io.loopline.core.kafka.StageWorker;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.events.GenerationRequest;
import io.loopline.events.RequestState;
import io.loopline.events.RequestStatus;
import io.loopline.events.Stage;
import io.loopline.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A minimal service process for {@link ServiceRunnerIT}: answers each request with a status record. */
public final class EchoServiceMain {

    private EchoServiceMain() {}

    public static void main(String[] args) {
        LooplineConfig config = new LooplineConfig(
                "echo",
                ConfigSources.resolve(LooplineConfig.configDef("echo"), System.getenv(), Optional.empty(), Map.of()));
        TopicAdmin.ensureTopics(config);
        StageWorker<GenerationRequest> worker = new StageWorker<>(config, Stage.INGEST, Topics.REQUESTS, in -> {
            GenerationRequest r = in.value();
            RequestStatus status = RequestStatus.newBuilder()
                    .setRequestId(r.getRequestId())
                    .setTenant(r.getTenant())
                    .setRequestedAt(r.getRequestedAt())
                    .setStage(Stage.INGEST)
                    .setState(RequestState.RUNNING)
                    .setProgress(0.1f)
                    .setUpdatedAt(r.getRequestedAt())
                    .build();
            return List.of(OutboundEvent.of(Topics.STATUS, r.getRequestId(), status));
        });
        System.out.println("effective configuration:\n" + config.describe());
        System.exit(ServiceRunner.run(worker, config.managementPort()));
    }
}
