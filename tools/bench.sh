#!/usr/bin/env bash
# Runs one of the project's benchmarks and prints its figures.
#
#   tools/bench.sh ingest     # ingest time per request (portrait + 30 s speech)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  ingest)
    ./mvnw -q -DskipTests install
    ./mvnw -q -pl ingest-service exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.loopline.ingest.IngestBenchmark
    ;;
  *)
    echo "usage: tools/bench.sh ingest" >&2
    exit 2
    ;;
esac
