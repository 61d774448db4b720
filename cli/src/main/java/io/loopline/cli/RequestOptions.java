package io.loopline.cli;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.events.GenerationOptions;
import io.loopline.events.Mode;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** What one video request is made of: the two inputs and the generation options (shared by generate and submit). */
final class RequestOptions {

    @Option(names = "--image", required = true, description = "Portrait image (JPEG, PNG, WebP).")
    Path image;

    @Option(names = "--audio", required = true, description = "Speech or singing (WAV, MP3, M4A/AAC, OGG, FLAC).")
    Path audio;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description =
                    "Seed of every random choice: the same inputs and seed give the same video (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--mode",
            defaultValue = "auto",
            description = "auto, portrait or half_body: auto makes a half-body video when the image shows the torso and"
                    + " a hand, a portrait otherwise (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--fps", defaultValue = "25", description = "Frames per second (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(
            names = "--size",
            defaultValue = "512",
            description = "Width and height of the square video in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", description = "Diffusion sampling steps (default: the model pack's).")
    Integer steps;

    @Option(
            names = "--tenant",
            defaultValue = "local",
            description = "Tenant the request and its files belong to (default: ${DEFAULT-VALUE}).")
    String tenant;

    /** @throws RequestRejectedException OPTION_INVALID for a mode that does not exist */
    GenerationOptions toGenerationOptions(String modelPack) throws RequestRejectedException {
        Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "portrait" -> Mode.PORTRAIT;
            case "half_body", "half-body" -> Mode.HALF_BODY;
            case "auto" -> Mode.AUTO;
            default ->
                throw new RequestRejectedException(
                        ErrorCode.OPTION_INVALID, "--mode must be auto, portrait or half_body, not " + mode + ".");
        };
        return GenerationOptions.newBuilder()
                .setMode(m)
                .setSeed(seed)
                .setFps(fps)
                .setOutputSize(size)
                .setSamplingSteps(steps)
                .setModelPack(modelPack)
                .build();
    }
}
