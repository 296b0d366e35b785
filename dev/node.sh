# shellcheck shell=bash
# The local world's node, sourced by dev/local-env.sh for `up --node` (and by its `down`/`status`):
# containerd (runc, cgroupfs), the CNI bridge, kubelet, kube-scheduler, kube-controller-manager and kube-proxy
# (iptables), all built by dev/testenv/build.sh node and run from $dir, every address on this machine.
#
# Network: the bridge li-node0 holds the node's address 10.244.0.1/24; the API server, the AWS rules layer and
# the kubelet listen there; pods get 10.244.0.0/24 on that bridge; services are 10.96.0.0/24, mapped by kube-proxy.
# No packet from a pod may leave the machine: node_net_up installs, before the API server (so before any pod),
# the nft table inet lambda-ingress-node whose chain LAMBDA-INGRESS-EGRESS rejects every packet that arrives from
# the bridge unless, after kube-proxy's DNAT, it is addressed to 10.244.0.0/16 (pods and the node) or link-local.
# A Service address kube-proxy has not mapped (the danger the issue found) is rejected too. Rules match only
# packets entering from li-node0: the host's own traffic (and its way to package registries) is never touched.
#
# Host state the node changes, each undone by node_down (NodeDownIT checks):
#   sysctls kubelet/CNI/kube-proxy would write  -> snapshot in $dir/node/sysctl.before, restored
#   nft tables (ours, and kube-proxy's)          -> ours deleted; kube-proxy --cleanup; tables that did not
#                                                   exist before up and are empty now deleted
#   cgroups /sys/fs/cgroup/*/lambda-ingress-node -> processes killed, removed depth-first
#   mounts under $dir, pod network namespaces    -> unmounted (netns files removed)
#   bridge li-node0                              -> deleted
#   /run/containerd, /var/lib/kubelet, ...       -> removed when up created them (node/created-paths)
# kubelet would set vm.overcommit_memory, kernel.panic, kernel.panic_on_oops (!) etc. on the host: it runs in
# a mount namespace of its own where those /proc/sys files are regular files holding the values it wants.

node_bridge=li-node0
node_ip=10.244.0.1
node_pod_subnet=10.244.0.0/24
node_pod_cidr=10.244.0.0/16
node_name=lambda-ingress-node
node_cgroup=lambda-ingress-node
node_nft_table=lambda-ingress-node
node_components=(containerd kubelet kube-scheduler kube-controller-manager kube-proxy)
node_tools_image=localhost/lambda-ingress-node-tools:dev
# The kernel settings any part of the node may change; restored at down.
node_sysctls=(net.ipv4.ip_forward net.ipv4.conf.all.route_localnet net.ipv4.conf.all.forwarding
  net.ipv6.conf.all.forwarding net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_tcp_timeout_established
  net.netfilter.nf_conntrack_tcp_timeout_close_wait net.netfilter.nf_conntrack_tcp_be_liberal
  vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes)
# Host paths the node's programs create outside $dir regardless of flags; removed at down if up created them.
node_host_paths=(/run/containerd /var/lib/kubelet /var/lib/cni /run/netns /var/run/netns /etc/cni /opt/cni
  /var/log/pods /var/log/containers)

node_need() {
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  [ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
  command -v conntrack >/dev/null || missing+=(conntrack)
  command -v runc >/dev/null || missing+=(runc)
  command -v podman >/dev/null || missing+=(podman)
  command -v nft >/dev/null || missing+=(nftables)
  command -v iptables >/dev/null || missing+=(iptables)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} (apt)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >&2 \
      || die "apt-get install ${missing[*]} failed"
  fi
  [ "$(id -u)" = 0 ] || die "--node needs root (containerd, cgroups, a bridge, netfilter rules)"
}

# The bridge with the node's address, and the egress rules: both before anything listens or any pod starts.
node_net_up() {
  local n="$dir/node"
  # Checked before $dir/node exists: a refused up must leave nothing that a later down would undo.
  ip link show "$node_bridge" >/dev/null 2>&1 && die "bridge $node_bridge exists: another node is up (or a stale one: dev/local-env.sh down)"
  nft list table inet "$node_nft_table" >/dev/null 2>&1 && die "nft table $node_nft_table exists: another node is up"
  mkdir -p "$n"
  local s p
  for s in "${node_sysctls[@]}"; do
    [ -e "/proc/sys/${s//.//}" ] && echo "$s=$(sysctl -n "$s")"
  done > "$n/sysctl.before"
  for p in "${node_host_paths[@]}"; do [ -e "$p" ] || echo "$p"; done > "$n/created-paths"
  nft list tables > "$n/nft-tables.before"
  findmnt -rn -t nsfs -o TARGET > "$n/netns.before" || true

  nft -f - <<EOF || die "could not install the egress rules"
table inet $node_nft_table {
  comment "dev/local-env.sh --node: packets from pods never leave this machine"
  chain LAMBDA-INGRESS-EGRESS {
    # After kube-proxy's DNAT (dstnat, -100): a Service address is already its endpoint here.
    type filter hook prerouting priority dstnat + 10; policy accept;
    iifname != "$node_bridge" accept
    ip daddr $node_pod_cidr accept
    ip daddr 224.0.0.0/24 accept
    ip6 daddr { fe80::/10, ff02::/16 } accept
    counter reject with icmpx type admin-prohibited comment "LAMBDA-INGRESS-EGRESS-REJECT"
  }
}
EOF
  ip link add "$node_bridge" type bridge
  ip addr add "$node_ip/24" dev "$node_bridge"
  ip link set "$node_bridge" up
}

node_certs() {
  local c="$dir/certs"
  (
    cd "$c"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$node_name" -keyout kubelet.key -out kubelet.csr
    printf 'subjectAltName=IP:%s,DNS:%s\n' "$node_ip" "$node_name" > kubelet.ext
    openssl x509 -req -in kubelet.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile kubelet.ext -out kubelet.crt
  ) >>"$logs/certs.log" 2>&1 || die "node certificate generation failed; log: $logs/certs.log"
}

# The node's tools image (FROM scratch): /pause, the sandbox every pod starts with, and /netcheck (NodeIT).
node_tools_image() {
  local bin=$1
  local out="$bin/tools-image.tar"
  if [ ! -s "$out" ]; then
    local ctx
    ctx=$(mktemp -d)
    cp "$bin/pause" "$bin/netcheck" "$ctx/"
    printf 'FROM scratch\nCOPY pause netcheck /\nENTRYPOINT ["/pause"]\n' > "$ctx/Containerfile"
    { podman build -q -t "$node_tools_image" "$ctx" && podman save --format oci-archive -o "$out.tmp" "$node_tools_image" \
      && mv "$out.tmp" "$out"; } >"$logs/tools-image.log" 2>&1 || { rm -rf "$ctx"; die "tools image build failed; log: $logs/tools-image.log"; }
    rm -rf "$ctx"
  fi
  echo "$out"
}

node_ctr() { ctr --address "$dir/node/containerd/containerd.sock" -n k8s.io "$@"; }

# Imports OCI archives (podman save --format oci-archive) into the node's containerd.
node_import() {
  local a
  for a in "$@"; do node_ctr images import --all-platforms "$a" >&2 || die "ctr images import $a failed"; done
}

node_up() {
  local bin=$1 nbin
  nbin=$("$repo/dev/testenv/build.sh" node) || die "could not build the node's binaries (see above)"
  local n="$dir/node" c="$dir/certs"
  mkdir -p "$n/cni/net.d" "$n/cni/ipam" "$n/containerd" "$n/kubelet" "$n/pod-logs" "$n/sysctl"
  node_certs

  # Mounts kubelet makes (volumes) in its own mount namespace must reach containerd's: $dir is a shared mount.
  mount --bind "$dir" "$dir" && mount --make-shared "$dir" || die "could not make $dir a shared mount"
  local h
  for h in /sys/fs/cgroup/*/; do
    [ "$(stat -f -c %T "$h")" = cgroupfs ] && mkdir -p "$h$node_cgroup"
  done

  cat > "$n/cni/net.d/10-$node_name.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "$node_name", "plugins": [
  {"type": "bridge", "bridge": "$node_bridge", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$n/cni/ipam",
            "ranges": [[{"subnet": "$node_pod_subnet", "gateway": "$node_ip"}]], "routes": [{"dst": "0.0.0.0/0"}]}}
]}
EOF
  cat > "$n/containerd/config.toml" <<EOF
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"
oom_score = 0
[grpc]
  address = "$n/containerd/containerd.sock"
[ttrpc]
  address = "$n/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$n/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$node_tools_image"
  restrict_oom_score_adj = true
  disable_apparmor = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$n/cni/net.d"
EOF
  start containerd containerd --config "$n/containerd/config.toml"
  wait_for containerd 60 node_ctr version
  node_import "$(node_tools_image "$nbin")"

  cat > "$n/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
readOnlyPort: 0
healthzBindAddress: $node_ip
tlsCertFile: $c/kubelet.crt
tlsPrivateKeyFile: $c/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $c/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$n/containerd/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: /$node_cgroup
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
# No registry: an image, once gone, cannot come back.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%}
podLogsDir: $n/pod-logs
resolvConf: ""
serializeImagePulls: false
# kubelet's own iptables chains (KUBE-FIREWALL in the host's INPUT/OUTPUT): not needed, kube-proxy has its own.
makeIPTablesUtilChains: false
EOF
  # kubelet's mount namespace: the kernel tunables it insists on are plain files here (see the top).
  local s f
  for s in vm.overcommit_memory:1 vm.panic_on_oom:0 kernel.panic:10 kernel.panic_on_oops:1 \
           kernel.keys.root_maxkeys:1000000 kernel.keys.root_maxbytes:25000000; do
    echo "${s#*:}" > "$n/sysctl/${s%%:*}"
  done
  cat > "$n/kubelet/run.sh" <<EOF
#!/bin/sh
set -e
mount --make-private /proc
for f in $n/sysctl/*; do
  s=\$(basename "\$f"); mount --bind "\$f" "/proc/sys/\$(echo "\$s" | tr . /)"
done
exec "$nbin/kubelet" --config "$n/kubelet/config.yaml" --kubeconfig "$dir/kubeconfig" \\
  --root-dir "$n/kubelet/root" --cert-dir "$n/kubelet/pki" \\
  --hostname-override "$node_name" --node-ip "$node_ip"
EOF
  chmod +x "$n/kubelet/run.sh"
  start kubelet unshare --mount --propagation unchanged "$n/kubelet/run.sh"

  # The admin certificate for the control-plane parts: a throw-away single-user cluster.
  start kube-scheduler "$nbin/kube-scheduler" --kubeconfig "$dir/kubeconfig" \
    --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --leader-elect=false --secure-port 0
  start kube-controller-manager "$nbin/kube-controller-manager" --kubeconfig "$dir/kubeconfig" \
    --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --leader-elect=false --secure-port 0 \
    --service-account-private-key-file "$c/sa.key" --root-ca-file "$c/ca.crt" \
    --use-service-account-credentials=false --controllers '*,-nodeipam,-cloud-node-lifecycle'
  # --nodeport-addresses: no localhost NodePorts, so no route_localnet; conntrack flags 0: leave the kernel's.
  start kube-proxy "$nbin/kube-proxy" --kubeconfig "$dir/kubeconfig" --hostname-override "$node_name" \
    --proxy-mode iptables --cluster-cidr "$node_pod_cidr" --nodeport-addresses "$node_ip/32" \
    --conntrack-max-per-core 0 --conntrack-tcp-timeout-established 0 --conntrack-tcp-timeout-close-wait 0 \
    --metrics-bind-address "$node_ip:10249" --healthz-bind-address "$node_ip:10256"

  wait_for kubelet 120 node_ready
  wait_for kube-proxy 60 node_services_mapped
  say "node $node_name Ready (pods on $node_bridge $node_pod_subnet, egress rejected by nft table inet $node_nft_table)"
}

# kube-proxy maps the Services some seconds after it starts, on a slow machine after the node is Ready. Until then
# a pod's packet to the kubernetes Service (10.96.0.1) is no pod's address, and the egress rule rejects it: the node
# is up once kube-proxy's nat rules send that address to an endpoint.
node_services_mapped() {
  nft list chain ip nat KUBE-SERVICES 2>/dev/null | grep -q 'ip daddr 10\.96\.0\.1 .*jump KUBE-SVC-'
}

node_ready() {
  kubectl --kubeconfig "$dir/kubeconfig" get node "$node_name" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}

# pids of every process in the node's cgroups (the pods' containers and sandboxes)
node_cgroup_pids() {
  local files=(/sys/fs/cgroup/*/"$node_cgroup"/**/cgroup.procs)  # globstar, nullglob: set by node_down
  [ ${#files[@]} -gt 0 ] && cat "${files[@]}" 2>/dev/null | sort -un
  return 0
}

# Our containerd's shims: processes whose arguments name our socket (an exact path under $dir).
node_shim_pids() {
  local p sock="$dir/node/containerd/containerd.sock"
  for p in /proc/[0-9]*; do
    { tr '\0' '\n' < "$p/cmdline"; } 2>/dev/null | grep -qxF "$sock" && echo "${p#/proc/}"
  done
}

node_down() {
  local n="$dir/node" nbin=""
  [ -d "$n" ] || return 0
  # Clean-up goes on past any step that fails: every later step still has something to remove.
  set +e
  shopt -s globstar nullglob
  nbin=$(sed -n 's/^exec "\(.*\)\/kubelet".*/\1/p' "$n/kubelet/run.sh" 2>/dev/null || true)
  # The pods' network namespaces: those their processes are in (before they die).
  local pid ino nets=()
  for pid in $(node_cgroup_pids); do
    ino=$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) && nets+=("$ino")
  done
  # A throw-away node: its parts get 1 s to exit (kube-controller-manager takes several on TERM).
  STOP_GRACE=1 stop_components kubelet kube-scheduler kube-controller-manager
  local victims
  for _ in 1 2 3; do
    victims=$(node_cgroup_pids; node_shim_pids)
    [ -n "$victims" ] || break
    # shellcheck disable=SC2086
    kill -KILL $victims 2>/dev/null || true
    sleep 0.5
  done
  STOP_GRACE=1 stop_components containerd kube-proxy
  [ -n "$nbin" ] && [ -x "$nbin/kube-proxy" ] && "$nbin/kube-proxy" --cleanup >"$logs/kube-proxy-cleanup.log" 2>&1 || true

  # Mounts: the pods' netns files (matched by namespace inode), then everything under $dir, deepest first.
  local target
  if [ ${#nets[@]} -gt 0 ]; then
    while read -r target; do
      ino=$(stat -L -c %i "$target" 2>/dev/null) || continue
      if printf '%s\n' "${nets[@]}" | grep -qxF "$ino"; then umount "$target" && rm -f "$target"; fi
    done < <(findmnt -rn -t nsfs -o TARGET)
  fi
  # ... and those containerd made for a pod whose sandbox had no process in them when the node went down (being
  # set up or torn down at that moment, seen once inside the suite): a pod netns (cni-*) that was not there at up.
  if [ -f "$n/netns.before" ]; then
    while read -r target; do
      case "$target" in /run/netns/cni-* | /var/run/netns/cni-*) ;; *) continue ;; esac
      grep -qxF "$target" "$n/netns.before" && continue
      umount "$target" && rm -f "$target"
    done < <(findmnt -rn -t nsfs -o TARGET)
  fi
  for _ in 1 2 3; do
    findmnt -rn -o TARGET | grep -E "^$dir(/|$)" | sort -r | while read -r target; do
      umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
    done
  done

  local h
  for h in /sys/fs/cgroup/*/"$node_cgroup"; do
    find "$h" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [ -d "$h" ] && say "could not remove cgroup $h"
  done

  nft delete table inet "$node_nft_table" 2>/dev/null || true
  # Tables kube-proxy (iptables-nft) created and --cleanup left empty.
  local fam name
  if [ -f "$n/nft-tables.before" ]; then
    nft list tables | while read -r _ fam name; do
      grep -qxF "table $fam $name" "$n/nft-tables.before" && continue
      [ "$fam $name" = "inet $node_nft_table" ] && continue
      # Only kube-proxy's KUBE-* chains and the jumps to them, or nothing: made by the node, deleted.
      if ! nft list table "$fam" "$name" | grep -vE 'KUBE-|^\s*(table|chain|type|policy|}|#|$)' | grep -q .; then
        nft delete table "$fam" "$name"
      else
        say "nft table $fam $name was made while the node was up and still holds rules: left alone"
      fi
    done
  fi
  ip link del "$node_bridge" 2>/dev/null || true
  conntrack -D -s "$node_pod_cidr" >/dev/null 2>&1 || true
  rm -f /var/lib/cni/results/"$node_name"-* 2>/dev/null || true

  if [ -f "$n/sysctl.before" ]; then
    local line
    while read -r line; do
      [ "$(sysctl -n "${line%%=*}" 2>/dev/null)" = "${line#*=}" ] || sysctl -q -w "$line" >/dev/null || say "could not restore $line"
    done < "$n/sysctl.before"
  fi
  if [ -f "$n/created-paths" ]; then
    local p
    while read -r p; do
      case "$p" in
        # only containerd, kubelet and CNI (with our conf_dir/dataDir) write there
        /run/containerd|/var/lib/kubelet|/var/lib/cni) rm -rf "$p" ;;
        # shared places: removed only when nothing else put something there meanwhile
        # (`ip netns add` makes /run/netns a mount of itself; an empty one is unmounted too)
        # kubelet links each container's log into /var/log/containers and, killed with the node, leaves the
        # links of containers it had not yet removed: they point into $dir, so they are the node's own.
        ?*) [ -d "$p" ] && find "$p" -maxdepth 1 -type l -lname "$dir/*" -delete 2>/dev/null
            if [ -z "$(ls -A "$p" 2>/dev/null)" ]; then mountpoint -q "$p" && umount "$p"; rmdir "$p" 2>/dev/null || true; fi ;;
      esac
    done < "$n/created-paths"
  fi
  shopt -u globstar nullglob
  set -e
}
