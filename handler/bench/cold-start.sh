#!/usr/bin/env bash
# Cold start, side by side: the wall time of one `java -jar JAR invoke EVENT.json` (JVM start, function
# initialisation, one event, exit) for handler/target/sample-function.jar and for the same function
# written on aws-serverless-java-container (handler/bench/sjc). Runs alternate so that both see the
# same machine load. Goal: ours at most half of theirs.
#   COLD_START_RUNS=N  runs of each jar (default 10)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs="${COLD_START_RUNS:-10}"
event=handler/bench/event.json   # multi-value form: aws-serverless-java-container reads only that form's query
ours=handler/target/sample-function.jar
theirs=handler/bench/sjc/target/sjc-sample-function.jar

[ -f "$ours" ] || mvn -B -q -pl handler -am package -DskipTests
if [ ! -f "$theirs" ] || [ -n "$(find handler/bench/sjc/src handler/bench/sjc/pom.xml -newer "$theirs" -print -quit)" ]; then
  echo "== building $theirs"
  mvn -B -q -f handler/bench/sjc/pom.xml package
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export ENV=hoge

# One invocation: prints its wall time in milliseconds; the response goes to $out/NAME.json.
invoke() {
  local name=$1 jar=$2 start end
  start=$(date +%s%N)
  java -jar "$jar" invoke "$event" >"$out/$name.json" 2>"$out/$name.err"
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

# The comparison means something only if both answer the event, and answer it alike.
invoke ours "$ours" >/dev/null
invoke theirs "$theirs" >/dev/null
for name in ours theirs; do
  grep -q '"statusCode":200' "$out/$name.json" || { echo "$name did not answer 200:" >&2; cat "$out/$name.json" "$out/$name.err" >&2; exit 1; }
done
echo "== response of sample-function.jar:              $(cat "$out/ours.json")"
echo "== response of aws-serverless-java-container's:  $(cat "$out/theirs.json")"

ours_ms=(); theirs_ms=()
for ((i = 0; i < runs; i++)); do
  ours_ms+=("$(invoke ours "$ours")")
  theirs_ms+=("$(invoke theirs "$theirs")")
done

stats() { # min median mean of the arguments
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1; s += $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "min %5d ms   median %7.1f ms   mean %7.1f ms", v[1], m, s / NR }'
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== cold start: java -jar JAR invoke $event ($runs runs each, alternating, $(nproc) cores)"
echo "   lambda-ingress handler        ($(du -k "$ours" | cut -f1) KiB jar): $(stats "${ours_ms[@]}")"
echo "   aws-serverless-java-container ($(du -k "$theirs" | cut -f1) KiB jar): $(stats "${theirs_ms[@]}")"
awk -v a="$(median "${ours_ms[@]}")" -v b="$(median "${theirs_ms[@]}")" 'BEGIN {
  r = a / b
  printf "   ratio of medians: %.2f (goal <= 0.50): %s\n", r, (r <= 0.5 ? "met" : "NOT met") }'
