#!/usr/bin/env bash
# The operator's scale benchmark: for N = 1, 10, 50 (or the sizes given), apply N article stacks to the
# local world, print seconds until all are Ready and the AWS read calls of one resync period in steady
# state. Brings the local world up if needed. RESYNC=<seconds> sets the resync period (default 20).
# With --faults: N objects (default 50) applied to the operator jar while a proxy injects 20 % throttling,
# 5 % 5xx and 1-second latency spikes into its AWS calls (SEED=<n>, default 42; LOST_ANSWERS=<share of
# the 5xx returned after AWS applied the call>, default 0.5): seconds until all are
# Ready, duplicates, seconds until all are deleted, what is left.
# With --queue: the operator receives the AWS change events (docs/events.md) through an SQS queue and an
# EventBridge rule made in the local world, and verifies everything only every 15th period (the default of eventQueue.fullVerificationPeriods).
# Every run prints the seconds from an out-of-band change (an NLB listener moved) to its repair, and the
# peak of the used heap after GC; the JVM runs with -Xmx256m (HEAP=<size> to change).
#   dev/bench-scale.sh [--queue] [N ...]
#   dev/bench-scale.sh --faults [N ...]
#   dev/bench-scale.sh --routes          one object with 20 routes, then 10 objects with 5 routes each
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash dev/local-env.sh up 2>/dev/null
goals=(test-compile)
if [[ " $* " == *" --faults "* ]]; then
  goals=(package -DskipTests) # the fault mode runs the operator as users do: java -jar
fi
mvn -B -ntp -q -pl operator -am "${goals[@]}" dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
cp=operator/target/test-classes:operator/target/classes:$(cat operator/target/bench-classpath.txt)
LOG_LEVEL=WARN exec java -Xmx"${HEAP:-256m}" -Dresync="${RESYNC:-20}" -Dseed="${SEED:-42}" -DlostAnswers="${LOST_ANSWERS:-0.5}" -DoperatorLogLevel="${OPERATOR_LOG_LEVEL:-WARN}" -cp "$cp" io.lambdaingress.operator.bench.ScaleBenchmark "$@"
