#!/usr/bin/env bash
# The operator's scale benchmark: for N = 1, 10, 50 (or the sizes given), apply N article stacks to the
# local world, print seconds until all are Ready and the AWS read calls of one resync period in steady
# state. Brings the local world up if needed. RESYNC=<seconds> sets the resync period (default 20).
#   dev/bench-scale.sh [N ...]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash dev/local-env.sh up 2>/dev/null
mvn -B -ntp -q -pl operator -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
cp=operator/target/test-classes:operator/target/classes:$(cat operator/target/bench-classpath.txt)
LOG_LEVEL=WARN exec java -Dresync="${RESYNC:-20}" -cp "$cp" io.lambdaingress.operator.bench.ScaleBenchmark "$@"
