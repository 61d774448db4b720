#!/usr/bin/env bash
# Runs one of the project's benchmarks and prints its figures.
#
#   tools/bench.sh ingest     # ingest time per request (portrait + 30 s speech)
#   tools/bench.sh model      # reference pack: time per second of video for each stage (CPU, 2 threads)
#   tools/bench.sh render-scaling   # render throughput with 1/2/4/8 workers, accelerator latency emulated
#   tools/bench.sh drift            # quality metrics per third of 60 s of speech
#   tools/bench.sh pipeline         # end to end, embedded: wall time / audio duration for 10 s and 60 s, by stage
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  ingest)
    ./mvnw -q -DskipTests install
    ./mvnw -q -pl ingest-service exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.loopline.ingest.IngestBenchmark
    ;;
  model)
    ./mvnw -q -DskipTests install
    ./mvnw -q -pl model-runtime exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.loopline.model.reference.ReferencePackBenchmark
    ;;
  render-scaling)
    ./mvnw -q -DskipTests install
    ./mvnw -q -pl render-service exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.loopline.render.RenderScalingBenchmark
    ;;
  drift)
    ./mvnw -q -DskipTests install
    ./mvnw -q -pl render-service exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.loopline.render.DriftBenchmark
    ;;
  pipeline)
    ./mvnw -q -DskipTests install
    MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+UseTransparentHugePages" ./mvnw -q -pl cli exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.loopline.cli.PipelineBenchmark
    ;;
  *)
    echo "usage: tools/bench.sh ingest|model|render-scaling|drift|pipeline" >&2
    exit 2
    ;;
esac
