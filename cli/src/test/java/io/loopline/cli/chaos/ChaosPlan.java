package io.loopline.cli.chaos;

/**
 * What one run of the fault-injection suite does. {@link #quick()} is the shortened run every build makes
 * ({@code ChaosIT}); {@link #full()} the one {@code tools/chaos.sh} makes and docs/reliability.md records. Each
 * number can be changed with a system property {@code chaos.<name>} (e.g. {@code -Dchaos.kills=40}).
 *
 * @param requests        requests submitted at once in each wave (more waves follow while faults remain to inject)
 * @param audioSeconds    length of each request's speech
 * @param outputSize      video width and height
 * @param renderProcesses render workers, each a process of its own
 * @param kills           SIGKILLs of service processes, each restarted at once
 * @param freezeSeconds   how long the broker and storage are frozen (SIGSTOP), once
 * @param poisonRecords   undecodable records spread over the consumed topics while the faults happen
 * @param attackRounds    rounds of decodable but forbidden requests and tasks (8 per round)
 * @param seed            chooses the victims and the pauses between faults
 */
record ChaosPlan(
        int requests,
        int audioSeconds,
        int outputSize,
        int renderProcesses,
        int kills,
        int freezeSeconds,
        int poisonRecords,
        int attackRounds,
        long seed) {

    static ChaosPlan quick() {
        return new ChaosPlan(3, 4, 128, 2, 6, 10, 300, 1, 1);
    }

    static ChaosPlan full() {
        return new ChaosPlan(20, 8, 256, 2, 24, 60, 3_000, 3, 1);
    }

    /** {@link #full()} when {@code chaos.full} is true, else {@link #quick()}; each field overridable. */
    static ChaosPlan fromSystemProperties() {
        ChaosPlan base = Boolean.getBoolean("chaos.full") ? full() : quick();
        return new ChaosPlan(
                Integer.getInteger("chaos.requests", base.requests()),
                Integer.getInteger("chaos.audioSeconds", base.audioSeconds()),
                Integer.getInteger("chaos.outputSize", base.outputSize()),
                Integer.getInteger("chaos.renderProcesses", base.renderProcesses()),
                Integer.getInteger("chaos.kills", base.kills()),
                Integer.getInteger("chaos.freezeSeconds", base.freezeSeconds()),
                Integer.getInteger("chaos.poisonRecords", base.poisonRecords()),
                Integer.getInteger("chaos.attackRounds", base.attackRounds()),
                Long.getLong("chaos.seed", base.seed()));
    }
}
