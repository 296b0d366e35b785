#!/usr/bin/env bash
# The project's local world on loopback: etcd + kube-apiserver (built from Go modules by dev/testenv/build.sh)
# and moto_server (the AWS API emulator) behind the AWS rules layer (dev/aws-rules/aws_rules.py: what AWS enforces
# and moto does not; docs/testing.md). AWS_ENDPOINT_URL is the layer; MOTO_ENDPOINT_URL is moto alone, same state.
#
#   dev/local-env.sh up       start everything (or do nothing when it is already up); prints how to use it
#   dev/local-env.sh up --node  the same plus a node (kubelet + containerd, dev/node.sh) on which pods run;
#                             needs root; the API server and AWS listen on the node's bridge address 10.244.0.1
#   dev/local-env.sh up --argocd  the same plus Argo CD (application controller, repo server, dev/argocd.sh)
#                             with our health check in argocd-cm; flags combine (up --node --argocd)
#   dev/local-env.sh argocd   (re)start Argo CD in a world that is up, with the environment's ARGOCD_* knobs
#   dev/local-env.sh argocd-down  stop Argo CD only (its CRDs and Applications stay in the API server)
#   dev/local-env.sh import ARCHIVE...  load OCI image archives (dev/images.sh save) into the node's containerd
#   dev/local-env.sh tag IMAGE NAME  give an imported image another name in the node's containerd (a registry's,
#                             e.g. the README's ECR name): a pod naming it runs it, never pulled (IfNotPresent)
#   dev/local-env.sh down     stop exactly what `up` started (recorded pids) and remove its state
#   dev/local-env.sh status   say what runs; exit 0 when all is up, 3 when nothing is, 1 when partly
#
# State, logs and the generated env file live in $LOCAL_ENV_DIR (default: <repo>/target/local-env):
#   env.sh       exports KUBECONFIG, AWS_ENDPOINT_URL, MOTO_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
#   kubeconfig   admin (client certificate in group system:masters)
#   logs/        one log per process
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${LOCAL_ENV_DIR:-"$repo/target/local-env"}
pids="$dir/pids"
logs="$dir/logs"
components=(etcd kube-apiserver moto)
# shellcheck source=dev/node.sh
. "$repo/dev/node.sh"
[ -d "$dir/node" ] && components+=("${node_components[@]}")
# shellcheck source=dev/argocd.sh
. "$repo/dev/argocd.sh"
[ -d "$dir/argocd" ] && components+=("${argocd_components[@]}")

say() { echo "local-env: $*" >&2; }
die() { say "$*"; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A recorded pid counts only while it is alive AND still runs what we started (pids get reused).
alive() {
  local name=$1 pid
  [ -f "$pids/$name" ] || return 1
  pid=$(cat "$pids/$name")
  # Every process is started with $dir as its working directory: that is the mark we check.
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$dir" ] || return 1
  # A killed process lingers as a zombie until init reaps it: that is not running.
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

stop_all() {
  node_down
  stop_components "${components[@]}"
}

stop_components() {
  local name pid running=()
  # TERM to all at once, then wait for each (up to $STOP_GRACE s in all, default 5) and KILL what is left.
  for name in "$@"; do
    if alive "$name"; then
      pid=$(cat "$pids/$name")
      kill -TERM "$pid" 2>/dev/null || true
      running+=("$name:$pid")
    fi
  done
  local deadline=$(( $(date +%s) + ${STOP_GRACE:-5} ))
  for name in "${running[@]}"; do
    pid=${name#*:}
    # (a zombie has exited: init reaps it when it can)
    while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null \
      && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    # A killed process is not gone at once: a large one (the JVM, kube-apiserver) takes a moment on a busy
    # machine to release its memory, still running meanwhile. `down` returns only once it is gone.
    local killed=$(( $(date +%s) + 10 ))
    while kill -0 "$pid" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null \
      && [ "$(date +%s)" -lt "$killed" ]; do sleep 0.1; done
    say "stopped ${name%%:*} (pid $pid)"
  done
}

# start NAME CMD...: in $dir, detached from this shell (setsid) so it outlives `up`; pid recorded.
start() {
  local name=$1; shift
  (cd "$dir" && exec setsid "$@" >"$logs/$name.log" 2>&1 < /dev/null) &
  echo $! > "$pids/$name"
}

# wait_for NAME SECONDS CMD...: poll CMD until it succeeds; fail naming the log if the process dies or time runs out.
wait_for() {
  local name=$1 secs=$2; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    if ! alive "$name"; then
      tail -n 20 "$logs/$name.log" >&2 || true
      die "$name exited during start-up; log: $logs/$name.log"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 20 "$logs/$name.log" >&2 || true
      die "$name did not answer within ${secs}s; log: $logs/$name.log"
    fi
    sleep 0.3
  done
}

gen_certs() {
  local c="$dir/certs"
  mkdir -p "$c"
  (
    cd "$c"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=lambda-ingress-local-ca" \
      -keyout ca.key -out ca.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr
    # 10.96.0.1: the kubernetes Service's address, how pods on the node reach the API server.
    printf 'subjectAltName=IP:127.0.0.1,IP:%s,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' "$node_ip" > san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile san.ext -out apiserver.crt
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=admin" -keyout admin.key -out admin.csr
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -out admin.crt
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
  ) >"$logs/certs.log" 2>&1 || die "certificate generation failed; log: $logs/certs.log"
}

write_kubeconfig() {
  local host=$1 port=$2 c="$dir/certs"
  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://$host:$port
    certificate-authority-data: $(base64 -w0 "$c/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(base64 -w0 "$c/admin.crt")
    client-key-data: $(base64 -w0 "$c/admin.key")
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
EOF
  chmod 600 "$dir/kubeconfig"
}

ensure_moto() {
  # Pinned to 5.2.x: the AWS rules layer (dev/aws-rules) reads moto's backends, whose shape may change. waitress: the
  # layer's HTTP server (keep-alive; aws_rules.py says why), pinned like the rest.
  if ! python3 -c 'import moto, moto.server, flask, flask_cors, waitress; assert moto.__version__.startswith("5.2.")' >/dev/null 2>&1; then
    say "installing moto[server] 5.2.x and waitress (pip)"
    python3 -m pip install --quiet 'moto[server]>=5.2,<5.3' 'waitress==3.0.2' >&2 || die "pip install 'moto[server]>=5.2,<5.3' 'waitress==3.0.2' failed"
  fi
}

up() {
  if [ -d "$dir" ]; then
    if status >/dev/null 2>&1; then
      say "already up ($dir)"
      print_usage
      return 0
    fi
    say "cleaning stale state from an earlier run in $dir"
    stop_all
    rm -rf "$dir"
  fi

  local node='' argocd='' flag host=127.0.0.1
  for flag in "$@"; do
    case "$flag" in
      --node) node=--node ;;
      --argocd) argocd=--argocd ;;
      *) die "up: unknown flag $flag (--node, --argocd)" ;;
    esac
  done
  [ "$node" = --node ] && { node_need; mkdir -p "$dir"; node_net_up; host=$node_ip; components+=("${node_components[@]}"); }
  ensure_moto
  local bin
  bin=$("$repo/dev/testenv/build.sh") || die "could not build kube-apiserver/etcd (see above)"

  mkdir -p "$pids" "$logs"
  gen_certs
  local etcd_port etcd_peer api_port aws_port moto_port
  etcd_port=$(free_port); etcd_peer=$(free_port); api_port=$(free_port); aws_port=$(free_port); moto_port=$(free_port)

  # --unsafe-no-fsync: a throw-away test store; durability costs seconds per test on a busy disk.
  start etcd "$bin/etcd" --name local --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "local=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync --log-level warn
  start moto python3 "$repo/dev/aws-rules/aws_rules.py" --host "$host" --port "$aws_port" --moto-port "$moto_port"
  wait_for etcd 60 curl -sf "http://127.0.0.1:$etcd_port/health"

  local c="$dir/certs" node_flags=(--bind-address 127.0.0.1 --advertise-address 127.0.0.1 --endpoint-reconciler-type none)
  # On the node the kubernetes Service's endpoint is the bridge address; logs/exec reach the kubelet by its IP.
  [ "$node" = --node ] && node_flags=(--bind-address "$host" --advertise-address "$host"
    --kubelet-preferred-address-types InternalIP,Hostname
    --kubelet-client-certificate "$c/admin.crt" --kubelet-client-key "$c/admin.key")
  # Admission and authorization as in a real cluster: the default admission plugins, RBAC on.
  # --endpoint-reconciler-type=none: the apiserver would otherwise try to publish 127.0.0.1 as the
  # kubernetes Service endpoint, which endpoint validation refuses (loopback), logging errors forever.
  start kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    "${node_flags[@]}" --secure-port "$api_port" \
    --cert-dir "$c" --tls-cert-file "$c/apiserver.crt" --tls-private-key-file "$c/apiserver.key" \
    --client-ca-file "$c/ca.crt" \
    --service-account-issuer "https://$host:$api_port" \
    --service-account-key-file "$c/sa.pub" --service-account-signing-key-file "$c/sa.key" \
    --authorization-mode RBAC \
    --service-cluster-ip-range 10.96.0.0/24 \
    --allow-privileged=true --profiling=false
  write_kubeconfig "$host" "$api_port"
  wait_for kube-apiserver 120 curl -sf --cacert "$c/ca.crt" --cert "$c/admin.crt" --key "$c/admin.key" \
    "https://$host:$api_port/readyz"
  wait_for moto 60 curl -sf "http://$host:$aws_port/_rules"
  [ "$node" = --node ] && node_up "$bin"

  cat >"$dir/env.sh" <<EOF
# Written by dev/local-env.sh up; source it to talk to the local world.
export KUBECONFIG="$dir/kubeconfig"
# moto behind the AWS rules layer (dev/aws-rules): what everything talks to
export AWS_ENDPOINT_URL="http://$host:$aws_port"
# moto alone, the same state: only for tests that show what moto by itself accepts
export MOTO_ENDPOINT_URL="http://$host:$moto_port"
export AWS_REGION="us-east-1"
export AWS_DEFAULT_REGION="us-east-1"  # the AWS CLI v1 reads only this one
export AWS_ACCESS_KEY_ID="testing"
export AWS_SECRET_ACCESS_KEY="testing"
EOF
  [ "$node" = --node ] && printf '# pods run on this node (dev/node.sh)\nexport LOCAL_ENV_NODE="%s"\n' "$node_name" >> "$dir/env.sh"
  if [ "$argocd" = --argocd ]; then
    [ "$node" = --node ] && argocd_components=("${argocd_components[@]/argocd-kube-controller-manager}")
    components+=(${argocd_components[@]}); argocd_up
  fi
  say "up: kube-apiserver https://$host:$api_port, etcd http://127.0.0.1:$etcd_port, AWS (rules layer) http://$host:$aws_port, moto alone http://$host:$moto_port"
  print_usage
}

print_usage() {
  cat >&2 <<EOF
local-env: to use it:   source $dir/env.sh
local-env:   kubectl get --raw /readyz
local-env:   aws elbv2 describe-load-balancers
local-env: logs in $logs; stop with: dev/local-env.sh down
EOF
}

down() {
  if [ ! -d "$dir" ]; then say "nothing to stop ($dir does not exist)"; return 0; fi
  stop_all
  rm -rf "$dir"
  say "down"
}

status() {
  local name up=0 total=${#components[@]}
  for name in "${components[@]}"; do
    if alive "$name"; then up=$((up + 1)); echo "$name: running (pid $(cat "$pids/$name"))"
    else echo "$name: not running"; fi
  done
  if [ "$up" -eq "$total" ] && [ -f "$dir/env.sh" ]; then echo "env: $dir/env.sh"; return 0; fi
  [ "$up" -eq 0 ] && return 3
  return 1
}

# Argo CD alone, in a world that is up: stopped first if it runs, so that it starts with this environment's knobs.
argocd() {
  local name
  for name in etcd kube-apiserver moto; do alive "$name" || die "no world is up in $dir (dev/local-env.sh up)"; done
  argocd_down
  argocd_up
}

argocd_down() {
  stop_components "${argocd_components[@]}"
  rm -rf "$dir/argocd"
  [ -f "$dir/env.sh" ] && sed -i '/^# Argo CD (dev\/argocd.sh)/,+1d' "$dir/env.sh"
  return 0
}

case "${1:-}" in
  up) shift; up "$@" ;;
  argocd) argocd ;;
  argocd-down) argocd_down ;;
  import)
    shift
    [ -d "$dir/node" ] && alive containerd || die "no node is up in $dir (dev/local-env.sh up --node)"
    node_import "$@" ;;
  tag)
    shift
    [ $# -eq 2 ] || die "usage: $0 tag IMAGE NAME"
    [ -d "$dir/node" ] && alive containerd || die "no node is up in $dir (dev/local-env.sh up --node)"
    node_ctr images tag --force "$1" "$2" >&2 ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up [--node] [--argocd]|argocd|argocd-down|import ARCHIVE...|tag IMAGE NAME|down|status" >&2; exit 2 ;;
esac
