package io.loopline.cli;

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
            defaultValue = "portrait",
            description = "portrait or half_body (default: ${DEFAULT-VALUE}).")
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

    GenerationOptions toGenerationOptions(String modelPack) {
        Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
            case "portrait" -> Mode.PORTRAIT;
            case "half_body", "half-body" -> Mode.HALF_BODY;
            default -> throw new IllegalArgumentException("--mode must be portrait or half_body, not " + mode);
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
