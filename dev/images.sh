#!/usr/bin/env bash
# Builds the project's two images with podman from the top-level Dockerfile, as they are built for users,
# but on base images made here: no container registry is reachable from this machine (or from CI), so
# the Dockerfile's public bases (maven, eclipse-temurin) are replaced through its build arguments by
# Debian stand-ins made with mmdebstrap from Debian's packages. The Dockerfile itself is not changed.
#
#   dev/images.sh              build localhost/lambda-ingress-operator:dev (target operator) and
#                              localhost/sample-function:dev (target handler-on-jre: the alternative-base
#                              handler, a JRE + AWS's runtime interface client); print each image's facts
#   dev/images.sh save DIR     the same, then write DIR/lambda-ingress-operator.tar and DIR/sample-function.tar
#                              (OCI archives, for a node's container runtime to import)
#   dev/images.sh rie          build the Lambda Runtime Interface Emulator (Go module); print its path
#
# Cached under ~/.cache/lambda-ingress/images/ (base image tarballs, the emulator, the builds' Maven
# repository: nothing of the caller's ~/.m2 is used); podman's layer cache
# makes a rebuild with unchanged sources a matter of seconds (about 8 s with the image checks). First run on
# a loaded 2-core machine: about 4 minutes for the two base images (made at once), then about 4.5 minutes
# for the two Maven builds inside podman. Progress goes to stderr; `rie` prints only the path on stdout.
#
# podman runs as the issue found it must on this kind of VM: runc (crun refuses the hybrid cgroup layout),
# cgroupfs, and ulimits within what the machine permits.
set -euo pipefail
shopt -s inherit_errexit # a failure inside \$(...) stops the script too

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${LAMBDA_INGRESS_CACHE:-"$HOME/.cache/lambda-ingress"}/images
suite=bookworm
# The emulator's Go module has no semver tags: this pseudo-version pins its commit.
rie_version=v0.0.0-20261030222936-bef5c4ba774d

operator_image=localhost/lambda-ingress-operator:dev
function_image=localhost/sample-function:dev

say() { echo "images.sh: $*" >&2; }
die() { say "$*"; exit 1; }

podman_() { podman --runtime runc --cgroup-manager=cgroupfs "$@"; }
limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

for tool in podman runc mmdebstrap; do
  command -v "$tool" >/dev/null || die "$tool is required (Debian: apt-get install podman runc mmdebstrap uidmap)"
done
mkdir -p "$cache" "$cache/maven-repository"
# One build at a time per machine: concurrent test runs share the cache and podman's store.
exec 9>"$cache/.lock"
flock -n 9 || { say "another image build is running; waiting for it..."; flock 9; }

# A base image from Debian packages: its tarball made once (cached, keyed by suite and packages), imported into
# podman's store when missing there.
base_key() { echo "$suite $2" | sha256sum | cut -c1-12; }
base_name() { echo "localhost/lambda-ingress-base-$1:$(base_key "$@")"; }
base_tarball() { echo "$cache/base-$1-$(base_key "$@").tar"; }

make_base_tarball() {
  local tarball; tarball=$(base_tarball "$@")
  if ! podman_ image exists "$(base_name "$@")" && [ ! -s "$tarball" ]; then
    say "making base image $1 from Debian $suite ($2), once; a few minutes"
    local start; start=$(date +%s)
    # (No dpkg path-excludes for man pages: openjdk's postinst links into /usr/share/man and fails without it.)
    mmdebstrap --quiet --variant=apt --include="$2" "$suite" "$tarball.partial.tar" >&2
    mv "$tarball.partial.tar" "$tarball"
    say "base image $1 made in $(( $(date +%s) - start ))s"
  fi
}

# Prints the image name.
base_image() {
  local image; image=$(base_name "$@")
  if ! podman_ image exists "$image"; then
    podman_ import --quiet \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      "$(base_tarball "$@")" "$image" >/dev/null
  fi
  echo "$image"
}

build_rie() {
  local bin="$cache/aws-lambda-rie-$rie_version"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || die "Go is required to build the Lambda Runtime Interface Emulator"
    say "building aws-lambda-rie@$rie_version from its Go module, once"
    local work; work=$(mktemp -d "$cache/.rie-XXXXXX")
    # Static, so it runs inside any image it is mounted into.
    CGO_ENABLED=0 GOBIN="$work" go install -trimpath -ldflags='-s -w' \
      "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$rie_version" >&2
    mv "$work/aws-lambda-rie" "$bin"
    rmdir "$work"
  fi
  echo "$bin"
}

build_target() {
  local target=$1 image=$2
  say "building $image (Dockerfile target $target)"
  local start; start=$(date +%s)
  # The build's Maven repository is a directory of our own in the cache, mounted read-write: the second
  # build and every later one find what the first downloaded from Maven Central. Not the caller's ~/.m2,
  # which a fresh machine does not have (podman refuses to mount a missing path) and which a build run as
  # root should not write to. (Builds are one at a time: the lock above.)
  # The host's Java trust store too, when it has one: Maven in the build then trusts what the host's Maven
  # trusts (an egress proxy's own CA, for one) without the Dockerfile knowing.
  local truststore=()
  [ -f /etc/ssl/certs/java/cacerts ] && truststore=(-v /etc/ssl/certs/java/cacerts:/etc/ssl/certs/java/cacerts:ro)
  podman_ build --pull=never --network host "${limits[@]}" --layers "${truststore[@]}" \
    --build-arg "BUILD_IMAGE=$build_base" --build-arg "JRE_IMAGE=$jre_base" \
    -v "$cache/maven-repository:/root/.m2/repository" \
    --target "$target" -t "$image" -f "$repo/Dockerfile" "$repo" >&2
  say "built $image in $(( $(date +%s) - start ))s"
}

# What a user of the image relies on, checked on the image itself: its size, its user, that this user can
# read the jar it runs, and that no build tool (JDK compiler, Maven) reached the final stage.
facts() {
  local image=$1 jar=$2
  local size user
  size=$(podman_ image inspect --format '{{.Size}}' "$image")
  user=$(podman_ image inspect --format '{{.Config.User}}' "$image")
  podman_ run --rm --pull=never --network none "${limits[@]}" --entrypoint /bin/sh "$image" -c '
      for tool in javac jar mvn; do command -v "$tool" >/dev/null && { echo "$tool is in the image"; exit 1; }; done
      [ ! -e /usr/share/maven ] || { echo "Maven is in the image"; exit 1; }
      for jar in '"$jar"'; do [ -r "$jar" ] || { echo "$jar is not readable by uid $(id -u)"; exit 1; }; done' \
    || die "$image: the final stage is not as it should be (above)"
  say "$image: $(( size / 1024 / 1024 )) MiB, user ${user:-root}, no javac/jar/mvn, jar readable by its user"
}

case "${1:-build}" in
  rie) build_rie; exit 0 ;;
  build|save) ;;
  *) die "usage: dev/images.sh [build | save DIR | rie]" ;;
esac

build_packages=openjdk-17-jdk-headless,maven,ca-certificates
jre_packages=openjdk-17-jre-headless,ca-certificates
# Both base images at once: downloading and unpacking packages, more waiting than computing.
make_base_tarball build "$build_packages" & build_pid=$!
make_base_tarball jre "$jre_packages" & jre_pid=$!
wait "$build_pid"
wait "$jre_pid"
build_base=$(base_image build "$build_packages")
jre_base=$(base_image jre "$jre_packages")

build_target operator "$operator_image"
build_target handler-on-jre "$function_image"
facts "$operator_image" /app/lambda-ingress-operator.jar
facts "$function_image" '/function/*.jar'

if [ "${1:-build}" = save ]; then
  dir=${2:?usage: dev/images.sh save DIR}
  mkdir -p "$dir"
  podman_ save --quiet --format oci-archive -o "$dir/lambda-ingress-operator.tar.tmp" "$operator_image"
  podman_ save --quiet --format oci-archive -o "$dir/sample-function.tar.tmp" "$function_image"
  mv "$dir/lambda-ingress-operator.tar.tmp" "$dir/lambda-ingress-operator.tar"
  mv "$dir/sample-function.tar.tmp" "$dir/sample-function.tar"
  say "saved $dir/lambda-ingress-operator.tar and $dir/sample-function.tar"
fi
