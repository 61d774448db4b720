#!/usr/bin/env bash
# The fault-injection suite, full plan: the services as processes of their own against a broker and S3 server
# that are killed, restarted and frozen; 24 SIGKILLs of service processes, 3 000 poison records, 24 forbidden
# requests and tasks, waves of 20 concurrent requests. It asserts that every request completed exactly once with
# frames identical to an undisturbed run, and prints what it measured (also in cli/target/chaos/report.txt; the
# processes' logs in cli/target/chaos/logs). About 15 minutes on 2 cores. docs/reliability.md records a run.
#
#   tools/chaos.sh                         # the full plan
#   tools/chaos.sh -Dchaos.kills=40 ...    # any number of the plan changed (cli/src/test/java/.../chaos/ChaosPlan.java)
#
# Every build runs a shortened plan (ChaosIT with its defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -DskipTests install
./mvnw -pl cli verify -Dit.test=ChaosIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dchaos.full=true "$@"
