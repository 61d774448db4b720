package io.loopline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VerboseOptionTest {

    @Test
    void everyCommandTakesVerboseAndTheTopLevelCommandSeesIt() {
        for (String[] args : new String[][] {
            {"status", "r-1", "--verbose"},
            {"generate", "--image", "a.jpg", "--audio", "a.wav", "--out", "v.mp4", "-v"},
            {"fetch", "-v", "r-1", "--out", "v.mp4"}
        }) {
            Loopline root = new Loopline();
            new CommandLine(root).parseArgs(args);
            assertThat(root.verbose).as(String.join(" ", args)).isTrue();
        }
        Loopline quiet = new Loopline();
        new CommandLine(quiet).parseArgs("status", "r-1");
        assertThat(quiet.verbose).isFalse();
    }
}
