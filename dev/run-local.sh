#!/usr/bin/env bash
# Runs the operator end to end on this machine: the local world (kube-apiserver + etcd + moto), the
# article's AWS prerequisites seeded in moto, the CRD, the operator jar, and examples/article-stack.yaml
# applied; waits for Ready, prints the object and its endpoint, then keeps everything running until
# Ctrl-C, when it deletes the object (the operator removes the AWS chain), stops the operator, and stops
# the world unless it was already up before. RUN_LOCAL_EXIT_WHEN_READY=1 cleans up as soon as Ready is seen.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
run="$repo/target/run-local"
mkdir -p "$run"

echo "== building the operator jar"
mvn -B -ntp -q -pl operator -am package -DskipTests

echo "== starting the local world"
started_world=1
if bash dev/local-env.sh status >/dev/null 2>&1; then started_world=0; fi
bash dev/local-env.sh up
# shellcheck disable=SC1091
source target/local-env/env.sh

echo "== seeding the article's VPC, subnets, security groups, role and ECR image in moto"
python3 dev/seed-article-aws.py --render examples/article-stack.yaml --out "$run/article-stack.yaml" >/dev/null

kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for condition=Established crd/lambdaingresses.lambdaingress.io --timeout=60s >/dev/null

echo "== starting the operator (log: $run/operator.log)"
LAMBDA_INGRESS_CLUSTER_NAME=local LAMBDA_INGRESS_RESYNC_PERIOD=30 LAMBDA_INGRESS_WATCH_NAMESPACES=default \
  java -jar operator/target/lambda-ingress-operator.jar >"$run/operator.log" 2>&1 &
operator_pid=$!

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "== cleaning up: deleting the LambdaIngress (the operator deletes its AWS chain)"
  kubectl delete -f "$run/article-stack.yaml" --wait=true --timeout=120s || true
  kill "$operator_pid" 2>/dev/null || true
  wait "$operator_pid" 2>/dev/null || true
  if [ "$started_world" = 1 ]; then bash dev/local-env.sh down; else echo "(the local world was already up before: left running)"; fi
}
trap cleanup INT TERM EXIT

echo "== applying examples/article-stack.yaml"
kubectl apply -f "$run/article-stack.yaml"
if ! kubectl wait li/sample --for condition=Ready --timeout=180s; then
  kubectl describe li/sample
  tail -n 40 "$run/operator.log"
  exit 1
fi
kubectl get li
echo "endpoint: $(kubectl get li/sample -o jsonpath='{.status.endpoint}')"
echo
echo "Running. In another shell: source target/local-env/env.sh; kubectl describe li/sample; aws elbv2 describe-load-balancers"
echo "Press Ctrl-C to delete the stack and stop everything."
if [ "${RUN_LOCAL_EXIT_WHEN_READY:-}" = "1" ]; then exit 0; fi
wait "$operator_pid"
