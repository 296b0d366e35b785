#!/usr/bin/env bash
# The handler's benchmarks, as documented in docs/handler.md:
#   handler/bench/run.sh          both: JMH warm path, then cold start side by side
#   handler/bench/run.sh jmh      JMH only   (JMH_ARGS overrides the short default run)
#   handler/bench/run.sh cold     cold start only (COLD_START_RUNS, default 10, runs of each jar)
# Not part of `mvn verify`: a benchmark is a measurement of this machine, not a pass/fail test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
what="${1:-all}"

build_handler() {
  echo "== building handler/target/sample-function.jar and the benchmark classes"
  mvn -B -q -pl handler -am package -DskipTests
}

run_jmh() {
  mvn -B -q -pl handler dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/bench.classpath >/dev/null
  # Short on purpose (about a minute on 2 cores): one fork, 5 warm-up and 5 measured 1 s iterations; fewer warm-ups leave the JIT unfinished on 2 busy cores.
  local args="${JMH_ARGS:--f 1 -wi 5 -w 1s -i 5 -r 1s}"
  echo "== JMH: warm event -> response, microseconds per event (goal: overhead <= 5 us)"
  # shellcheck disable=SC2086 # JMH_ARGS is a list of options
  java -cp "handler/target/test-classes:handler/target/classes:$(cat handler/target/bench.classpath)" \
      org.openjdk.jmh.Main 'io.lambdaingress.handler.bench.AlbHandlerBenchmark' $args -rf text -rff handler/target/jmh-result.txt
}

case "$what" in
  jmh) build_handler; run_jmh ;;
  cold) handler/bench/cold-start.sh ;;
  all) build_handler; run_jmh; handler/bench/cold-start.sh ;;
  *) echo "usage: handler/bench/run.sh [all|jmh|cold]" >&2; exit 2 ;;
esac
