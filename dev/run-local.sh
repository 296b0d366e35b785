#!/usr/bin/env bash
# Runs the operator end to end on this machine: the local world (kube-apiserver + etcd + moto), the
# article's AWS prerequisites seeded in moto, the CRD, the operator jar, and examples/article-stack.yaml
# applied; waits for Ready, prints the object and its endpoint, then keeps everything running until
# Ctrl-C, when it deletes the object (the operator removes the AWS chain), says what is left in AWS, stops
# the operator, and stops the world unless it was already up before.
#
#   RUN_LOCAL_EXIT_WHEN_READY=1   clean up as soon as Ready is seen
#   RUN_LOCAL_JAR=path            run this operator jar instead of building one
#   LOCAL_ENV_DIR=dir             the local world's directory (default target/local-env), as for dev/local-env.sh
#
# Ctrl-C in a terminal sends SIGINT to the whole foreground process group. The operator therefore runs in
# a session of its own (setsid), like the world's processes (dev/local-env.sh), so that it is still there to
# delete the AWS chain when this script's clean-up asks it to; the clean-up itself ignores further Ctrl-C, and
# goes on when the reader of its output is gone (piped into tee, which the same Ctrl-C ends): its lines are
# always in target/run-local/cleanup.log.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
run="$repo/target/run-local"
export LOCAL_ENV_DIR=${LOCAL_ENV_DIR:-"$repo/target/local-env"}
mkdir -p "$run"

started_world=0
operator_pid=
applied=0
cleaned=0

cleanup() {
  local status=$?
  [ "$cleaned" = 1 ] && return 0
  cleaned=1
  # '' (not a handler): ignored signals stay ignored in the children below, so a second Ctrl-C cannot cut
  # kubectl short halfway through the deletion.
  trap '' INT TERM PIPE
  # Our stdout may be a pipe whose reader died of the same Ctrl-C (`dev/run-local.sh | tee run.log`): the
  # first echo below would then kill this script (SIGPIPE) or fail it (EPIPE under set -e) halfway through
  # the clean-up. From here on everything goes through a tee of our own, started with INT and PIPE ignored,
  # that writes to $run/cleanup.log always and to the old stdout while someone still reads it.
  exec > >(exec tee --output-error=warn-nopipe "$run/cleanup.log" 2>/dev/null) 2>&1
  local tee_pid=$!
  echo
  echo "== cleaning up (Ctrl-C is ignored until this is done)"
  if [ "$applied" = 1 ]; then
    if [ -n "$operator_pid" ] && kill -0 "$operator_pid" 2>/dev/null; then
      echo "== deleting the LambdaIngress (the operator deletes its AWS chain)"
      kubectl delete -f "$run/article-stack.yaml" --wait=true --timeout=120s || true
      python3 dev/aws-leftovers.py local || true
    else
      echo "!! the operator is not running (log: $run/operator.log): the AWS chain of li/sample is not deleted"
    fi
  fi
  if [ -n "$operator_pid" ]; then
    echo "== stopping the operator"
    kill -TERM "$operator_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$operator_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$operator_pid" 2>/dev/null || true
    # (a killed JVM takes a moment to be gone: wait for that too)
    for _ in $(seq 1 100); do kill -0 "$operator_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ "$started_world" = 1 ]; then
    bash dev/local-env.sh down || true
  elif [ -f "$LOCAL_ENV_DIR/env.sh" ]; then
    echo "(the local world was already up before: left running)"
  fi
  echo "== done"
  # The script must not end before its tee has written the last line: whoever waits for the script (a
  # terminal, tmux) then sees all of it.
  exec >&- 2>&-
  wait "$tee_pid" || true
  return "$status"
}
trap cleanup EXIT
# After the clean-up, end here: the command that was interrupted must not be followed by the next one.
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

if [ -n "${RUN_LOCAL_JAR:-}" ]; then
  jar=$RUN_LOCAL_JAR
else
  echo "== building the operator jar"
  mvn -B -ntp -q -pl operator -am package -DskipTests
  jar=operator/target/lambda-ingress-operator.jar
fi

echo "== starting the local world"
if ! bash dev/local-env.sh status >/dev/null 2>&1; then started_world=1; fi
bash dev/local-env.sh up
# shellcheck disable=SC1091
source "$LOCAL_ENV_DIR/env.sh"

echo "== seeding the article's VPC, subnets, security groups, role and ECR image in moto"
python3 dev/seed-article-aws.py --render examples/article-stack.yaml --out "$run/article-stack.yaml" >/dev/null

kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
# kubectl wait fails at once, instead of waiting, while a CRD just created has `conditions: null`
# (".status.conditions accessor error: <nil> is of the type <nil>", kubernetes/kubernetes#66439): ask again.
for attempt in $(seq 1 30); do
  kubectl wait --for condition=Established crd/lambdaingresses.lambdaingress.io --timeout=60s >/dev/null 2>&1 && break
  [ "$attempt" = 30 ] && { echo "!! the CRD lambdaingresses.lambdaingress.io is not Established" >&2; exit 1; }
  sleep 1
done

echo "== starting the operator (log: $run/operator.log)"
# setsid: out of the terminal's process group (see the top). No fork (a background job of a script is never
# a group leader), so $! is the JVM itself.
LAMBDA_INGRESS_CLUSTER_NAME=local LAMBDA_INGRESS_RESYNC_PERIOD=30 LAMBDA_INGRESS_WATCH_NAMESPACES=default \
  setsid java -jar "$jar" >"$run/operator.log" 2>&1 </dev/null &
operator_pid=$!
echo "$operator_pid" >"$run/operator.pid"

echo "== applying examples/article-stack.yaml"
applied=1
kubectl apply -f "$run/article-stack.yaml"
if ! kubectl wait li/sample --for condition=Ready --timeout=180s; then
  kubectl describe li/sample
  tail -n 40 "$run/operator.log"
  exit 1
fi
kubectl get li
echo "endpoint: $(kubectl get li/sample -o jsonpath='{.status.endpoint}')"
echo
echo "Running. In another shell: source $LOCAL_ENV_DIR/env.sh; kubectl describe li/sample; aws elbv2 describe-load-balancers"
echo "Press Ctrl-C to delete the stack and stop everything."
if [ "${RUN_LOCAL_EXIT_WHEN_READY:-}" = "1" ]; then exit 0; fi
# The operator is not our job-control child any more (setsid), but still our child: wait works, and a
# Ctrl-C interrupts it to run the INT trap.
wait "$operator_pid" || true
echo "!! the operator exited (log: $run/operator.log)"
exit 1
