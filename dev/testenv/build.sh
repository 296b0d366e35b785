#!/usr/bin/env bash
# Builds the pinned kube-apiserver and etcd from their Go modules (see go.mod beside this file), once,
# and caches them under ~/.cache/lambda-ingress/testenv/<key>/, where <key> hashes everything that
# decides the binaries (go.mod, go.sum, the mains, this script, the Go version). Prints the directory
# holding the binaries on stdout; progress goes to stderr. Safe to run concurrently: a lock serialises
# builds and a binary only appears in the cache once it is complete.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# `build.sh node`: the same for the node's binaries (kubelet, kube-scheduler, kube-controller-manager,
# kube-proxy, pause), a module of their own in node/ so this one's key stays put.
[ "${1:-}" = node ] && here="$here/node"
# `build.sh argocd`: Argo CD's application controller and repo server (one multi-call binary) and the helm
# its repo server runs, in argocd/ (a module of its own too: Argo CD's graph is large and pins its own versions).
[ "${1:-}" = argocd ] && here="$here/argocd"
# Every directory under cmd/ is one binary; a file `mains` adds main packages of required modules, one a line
# (a binary named after the package's last element).
mapfile -t binaries < <(cd "$here/cmd" && ls)
packages=("${binaries[@]/#/./cmd/}")
if [ -f "$here/mains" ]; then
  while read -r main; do [ -n "$main" ] && packages+=("$main") && binaries+=("${main##*/}"); done <"$here/mains"
fi
cache_root=${LAMBDA_INGRESS_CACHE:-"$HOME/.cache/lambda-ingress"}/testenv

command -v go >/dev/null || { echo "build.sh: Go is required to build the test binaries (none on PATH)" >&2; exit 1; }

key=$( { cat "$here/go.mod" "$here/go.sum" "${BASH_SOURCE[0]}"; printf "%s\n" "${packages[@]}"; find "$here/cmd" -name '*.go' -print0 | sort -z | xargs -0 cat; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-16)
bin_dir="$cache_root/$key"

complete() { local b; for b in "${binaries[@]}"; do [ -x "$bin_dir/$b" ] || return 1; done; }

if complete; then echo "$bin_dir"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
if ! flock -n 9; then
  echo "build.sh: another build of the test binaries is running; waiting for it..." >&2
  flock 9
fi
if complete; then echo "$bin_dir"; exit 0; fi

work=$(mktemp -d "$cache_root/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$work/build.log"
echo "build.sh: building ${binaries[*]} from Go modules into $bin_dir" >&2
echo "build.sh: first build only; it takes several minutes on 2 cores (log: $cache_root/last-build.log)" >&2
start=$(date +%s)
(
  cd "$here"
  go mod download
  # -v prints each package as it is compiled: count them so a long build shows it is moving.
  go build -v -trimpath -ldflags='-s -w' -o "$work/" "${packages[@]}"
) > >(tee "$log" | awk '{ n++; if (n % 200 == 0) { printf "build.sh:   %d packages compiled\n", n > "/dev/stderr"; fflush("/dev/stderr") } }') 2>&1 || {
  cp "$log" "$cache_root/last-build.log" 2>/dev/null || true
  echo "build.sh: build failed; see $cache_root/last-build.log" >&2
  exit 1
}
wait # let the progress reader drain
cp "$log" "$cache_root/last-build.log"
mkdir -p "$bin_dir.tmp"
mv "${binaries[@]/#/$work/}" "$bin_dir.tmp/"
rm -rf "$bin_dir" && mv "$bin_dir.tmp" "$bin_dir"
echo "build.sh: built in $(( $(date +%s) - start ))s" >&2
echo "$bin_dir"
