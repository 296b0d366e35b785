# shellcheck shell=bash
# Argo CD in the local world, sourced by dev/local-env.sh for `up --argocd` and `argocd` (add it to a world
# that is up; ArgoCdIT does that on the suite's world) and by its `down`/`status`.
#
# What runs, as processes in $dir like the rest (no pod, no node needed): Argo CD's application controller and
# repo server (one binary built from the pinned module by dev/testenv/build.sh argocd, called by those names),
# an in-memory Redis (miniredis, the one Argo CD's own headless mode runs) and the `helm` the repo server runs
# to render a chart. The controller talks to the API server through the world's admin kubeconfig as the
# in-cluster cluster https://kubernetes.default.svc (ARGOCD_FAKE_IN_CLUSTER: Argo CD's own local set-up);
# the repo server reads git repositories by path (file://), so nothing leaves the machine. Argo CD's API
# server, UI, Dex, ApplicationSet controller and notifications are not run: none is needed to sync.
#
# Installed in the API server: Argo CD's CRDs (Application, AppProject) from the pinned module, the namespace
# argocd, the default AppProject (Argo CD's API server would create it), argocd-secret, and argocd-cm patched
# with docs/argocd/argocd-cm-snippet.yaml exactly as docs/argocd/README.md tells users to.
#
# --persist-resource-health: each resource's health (ours: the Lua check's status and message) is kept in the
# Application's status.resources, where tests and kubectl read it; without Argo CD's API server nothing else shows it.
#
# Knobs, Argo CD's own environment variables, read by the controller when it starts:
#   ARGOCD_RECONCILIATION_TIMEOUT  how often each Application is compared with git and the cluster (Argo CD's
#                                  default 120s; ArgoCdIT sets a few seconds to compare many times quickly)
#   ARGOCD_RECONCILIATION_JITTER   random delay added to it (default 60s here as in Argo CD)

argocd_components=(argocd-redis argocd-repo-server argocd-application-controller)
# Without a node the world runs no kube-controller-manager, and Argo CD needs two of its controllers: the
# deployment controller (nothing else writes a Deployment's status, and Argo CD calls a Deployment whose status
# lags its spec Progressing for ever, the chart's even at 0 replicas) and the garbage collector (Argo CD prunes
# with foreground deletion, whose finalizer only the garbage collector removes: without it a pruned object stays
# Terminating for ever; ArgoCdIT found both). So it runs kube-controller-manager with those two only (no pods, no
# namespace deletion). With a node, its kube-controller-manager runs them all.
[ -d "$dir/node" ] || argocd_components+=(argocd-kube-controller-manager)

argocd_up() {
  local bin module
  bin=$("$repo/dev/testenv/build.sh" argocd) || die "could not build Argo CD (see above)"
  # The CRDs of exactly the Argo CD that runs: from the module the binary was built from.
  module=$(cd "$repo/dev/testenv/argocd" && go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v3) \
    || die "cannot locate the Argo CD module (go list -m in dev/testenv/argocd)"
  local a="$dir/argocd"
  mkdir -p "$a/bin" "$a/tls" "$a/ssh" "$a/gpg" "$a/home" "$pids" "$logs"
  local name
  for name in "${argocd_components[@]}"; do ln -sf "$bin/argocd" "$a/bin/$name"; done
  ln -sf "$bin/helm" "$a/bin/helm"

  local k=(kubectl --kubeconfig "$dir/kubeconfig")
  "${k[@]}" apply --server-side -f "$module/manifests/crds/application-crd.yaml" \
    -f "$module/manifests/crds/appproject-crd.yaml" >"$logs/argocd-install.log" 2>&1 \
    || die "installing Argo CD's CRDs failed; log: $logs/argocd-install.log"
  # (not `kubectl wait`: it fails on a CRD so new that its status has no conditions yet)
  local crd deadline=$(( $(date +%s) + 60 ))
  for crd in applications.argoproj.io appprojects.argoproj.io; do
    until [ "$("${k[@]}" get crd "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>>"$logs/argocd-install.log")" = True ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "Argo CD's CRD $crd not established within 60s; log: $logs/argocd-install.log"
      sleep 0.3
    done
  done
  "${k[@]}" apply -f - >>"$logs/argocd-install.log" 2>&1 <<'EOF' || die "installing Argo CD's config failed; log: $logs/argocd-install.log"
apiVersion: v1
kind: Namespace
metadata: {name: argocd}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels: {app.kubernetes.io/name: argocd-cm, app.kubernetes.io/part-of: argocd}
---
apiVersion: v1
kind: Secret
metadata:
  name: argocd-secret
  namespace: argocd
  labels: {app.kubernetes.io/name: argocd-secret, app.kubernetes.io/part-of: argocd}
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: default, namespace: argocd}
spec:
  sourceRepos: ['*']
  destinations: [{namespace: '*', server: '*'}]
  clusterResourceWhitelist: [{group: '*', kind: '*'}]
EOF
  # Our health check, the way users install it (docs/argocd/README.md).
  "${k[@]}" -n argocd patch configmap argocd-cm --type merge --patch-file "$repo/docs/argocd/argocd-cm-snippet.yaml" \
    >>"$logs/argocd-install.log" 2>&1 || die "patching argocd-cm with docs/argocd/argocd-cm-snippet.yaml failed; log: $logs/argocd-install.log"

  local redis_port repo_port repo_metrics controller_metrics
  redis_port=$(free_port); repo_port=$(free_port); repo_metrics=$(free_port); controller_metrics=$(free_port)
  # Where Argo CD keeps TLS/SSH/GPG data and helm its caches: under $dir, not in the user's home.
  local env=(env PATH="$a/bin:$PATH" HOME="$a/home" ARGOCD_FAKE_IN_CLUSTER=true KUBECONFIG="$dir/kubeconfig"
    ARGOCD_TLS_DATA_PATH="$a/tls" ARGOCD_SSH_DATA_PATH="$a/ssh" ARGOCD_GNUPGHOME="$a/gpg" ARGOCD_GPG_ENABLED=false
    ARGOCD_RECONCILIATION_JITTER="${ARGOCD_RECONCILIATION_JITTER:-60s}")
  if [[ " ${argocd_components[*]} " == *" argocd-kube-controller-manager "* ]]; then
    local nbin
    nbin=$("$repo/dev/testenv/build.sh" node) || die "could not build kube-controller-manager (see above)"
    start argocd-kube-controller-manager "$nbin/kube-controller-manager" --kubeconfig "$dir/kubeconfig" \
      --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
      --leader-elect=false --secure-port 0 --controllers deployment,garbagecollector
  fi
  start argocd-redis "${env[@]}" "$a/bin/argocd-redis" "127.0.0.1:$redis_port"
  start argocd-repo-server "${env[@]}" "$a/bin/argocd-repo-server" --address 127.0.0.1 --port "$repo_port" \
    --metrics-address 127.0.0.1 --metrics-port "$repo_metrics" --disable-tls --redis "127.0.0.1:$redis_port" --logformat text
  start argocd-application-controller "${env[@]}" "$a/bin/argocd-application-controller" --namespace argocd \
    --repo-server "127.0.0.1:$repo_port" --repo-server-plaintext --redis "127.0.0.1:$redis_port" \
    --metrics-port "$controller_metrics" --persist-resource-health --logformat text
  wait_for argocd-repo-server 60 curl -sf "http://127.0.0.1:$repo_metrics/healthz"
  wait_for argocd-application-controller 60 curl -sf "http://127.0.0.1:$controller_metrics/healthz"
  cat >>"$dir/env.sh" <<EOF
# Argo CD (dev/argocd.sh): the application controller's metrics (argocd_app_sync_total, argocd_app_reconcile)
export ARGOCD_CONTROLLER_METRICS_URL="http://127.0.0.1:$controller_metrics/metrics"
EOF
  say "Argo CD up: application controller (metrics http://127.0.0.1:$controller_metrics/metrics), repo server 127.0.0.1:$repo_port, redis 127.0.0.1:$redis_port; Applications in namespace argocd"
}
