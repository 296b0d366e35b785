#!/usr/bin/env bash
# The 10-minute version of ArgoCdIT's "no sync loop" check, outside the suite: the same test with Argo CD's
# default comparison period (120 s + up to 60 s jitter) and the chart's default operator resync (60 s), the
# Application watched every 5 s for SOAK_MINUTES (default 10) of wall-clock time after it is Healthy; it
# fails at the first sync, OutOfSync or health change. The test's later steps push to git and then ask Argo CD
# for a refresh (the argocd.argoproj.io/refresh annotation, as `argocd app get --refresh` or a git webhook),
# so they do not wait for the next periodic comparison (up to 3 minutes with these defaults).
# Prints the test's summary lines; the run's full output goes to target/argocd-soak.log (Maven) and
# operator/target/failsafe-reports/io.lambdaingress.operator.docs.ArgoCdIT-output.txt (the test's own).
# docs/argocd/README.md records a run (date, machine, result).
#
#   dev/argocd-soak.sh            (needs what the suite needs: Go, a JDK, Maven, moto; builds Argo CD once)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
minutes=${SOAK_MINUTES:-10}
mkdir -p target
log=target/argocd-soak.log
out=operator/target/failsafe-reports/io.lambdaingress.operator.docs.ArgoCdIT-output.txt
echo "argocd-soak: ArgoCdIT with a ${minutes}-minute watch after Healthy ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores); log: $log"
rm -f "$out"
status=0
mvn -B -ntp -pl operator -am verify -Dit.test=ArgoCdIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dargocd.soakMinutes="$minutes" >"$log" 2>&1 || status=$?
grep -h -E '^ArgoCdIT' "$out" 2>/dev/null || true
grep -E 'Tests run:.*ArgoCdIT|FAIL|expected|Expect' "$log" | head -20 || true
echo "argocd-soak: $([ "$status" = 0 ] && echo passed || echo "FAILED (exit $status)") at $(date -u +%Y-%m-%dT%H:%MZ)"
exit "$status"
