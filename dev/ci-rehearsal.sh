#!/usr/bin/env bash
# Rehearses CI as it runs on a fresh machine: `bash .ci/run` (CI=true, no standard input) in a clean clone of a
# commit (default: HEAD), with HOME an empty new directory — no ~/.m2, no ~/.cache (so no cached kube-apiserver,
# node binaries or base images), no Go module or build cache, no pip user site — and podman's image store a new
# empty one too (root's store lives outside HOME). Debian packages and the Python installation are the machine's:
# .ci/run installs what is missing of them, as it would on CI. Prints the time of every phase of .ci/run, and the
# time of each integration test class.
#
#   dev/ci-rehearsal.sh [--ref REF] [--keep] [--write-docs]
#     --ref REF      rehearse that commit (default HEAD; uncommitted changes are never part of a rehearsal)
#     --keep         leave the work directory (clone, home, podman store) for a look afterwards
#     --write-docs   also write the timing tables into docs/testing.md of this checkout (between its
#                    "ci-rehearsal" markers), so the doc holds what a run printed, not what someone typed
#   dev/ci-rehearsal.sh --report DIR [--write-docs]
#                  the tables of a rehearsal kept in DIR (--keep), printed again (and written)
#
# Exit status: .ci/run's. Output: .ci/run's, each line prefixed with the seconds since the start, then the tables.
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ref=HEAD keep=0 write_docs=0 report=
while [ $# -gt 0 ]; do
  case $1 in
    --ref) ref=${2:?--ref needs a commit}; shift 2 ;;
    --keep) keep=1; shift ;;
    --write-docs) write_docs=1; shift ;;
    --report) report=${2:?--report needs the directory of a kept rehearsal}; shift 2 ;;
    *) echo "usage: dev/ci-rehearsal.sh [--ref REF] [--keep] [--write-docs] | --report DIR [--write-docs]" >&2; exit 2 ;;
  esac
done

# The tables of the rehearsal in directory $1 (its run.log, clone and result), printed; written into
# docs/testing.md with --write-docs. Returns the rehearsal's exit status.
report() {
  local work=$1 status total commit tables
  read -r status total commit <"$work/result"
  tables=$(python3 - "$work/run.log" "$work/clone" "$total" "$status" <<'PY'
import glob, re, sys, xml.etree.ElementTree as ET
log, clone, total, status = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
phases, last = [], None
for line in open(log, errors="replace"):
    m = re.match(r"\s*(\d+) == (.*)", line)
    if not m:
        continue
    t, text = int(m.group(1)), m.group(2)
    ready = re.match(r"(.*) ready in (\d+)s$", text)
    if ready:  # a part of the phase before it, timed from that phase's start
        phases.append((f"... {ready.group(1)} ready", int(ready.group(2))))
        continue
    if last:
        phases.insert(last[2], (last[1], t - last[0]))
    last = (t, text, len(phases))
if last:
    phases.insert(last[2], (last[1], total - last[0]))
print(f"Phases of .ci/run (exit {status}, {total} s in all):\n")
print("| phase | seconds |\n| --- | ---: |")
for name, secs in phases:
    print(f"| {name.replace('|', '/')} | {secs} |")
print(f"| **total** | **{total}** |")
rows = []
for f in glob.glob(f"{clone}/*/target/failsafe-reports/TEST-*.xml"):
    suite = ET.parse(f).getroot()
    name = suite.get("name").rsplit(".", 1)[-1]
    tests = int(suite.get("tests")); failed = int(suite.get("failures")) + int(suite.get("errors"))
    rows.append((float(suite.get("time")), name, tests, failed, int(suite.get("skipped"))))
if rows:
    rows.sort(reverse=True)
    print("\nIntegration test classes (seconds each; classes run at once, so they add up to more than the wall time):\n")
    print("| class | seconds | tests | failed | skipped |\n| --- | ---: | ---: | ---: | ---: |")
    for secs, name, tests, failed, skipped in rows:
        print(f"| {name} | {secs:.0f} | {tests} | {failed} | {skipped} |")
    print(f"| **sum** | **{sum(r[0] for r in rows):.0f}** | {sum(r[2] for r in rows)} | {sum(r[3] for r in rows)} | {sum(r[4] for r in rows)} |")
PY
)
  echo
  echo "$tables"
  if [ "$write_docs" = 1 ]; then
    python3 - "$repo/docs/testing.md" "$commit" "$tables" <<'PY'
import datetime, os, re, sys
path, commit, tables = sys.argv[1], sys.argv[2], sys.argv[3]
doc = open(path).read()
begin, end = "<!-- ci-rehearsal:begin -->", "<!-- ci-rehearsal:end -->"
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
block = (f"{begin}\nPrinted by `dev/ci-rehearsal.sh --write-docs` on {when}, commit {commit[:10]}, "
         f"this project's machine ({os.cpu_count()} cores), empty home directory:\n\n{tables}\n{end}")
if begin in doc:
    doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
else:
    doc = doc.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(doc)
PY
    echo "ci-rehearsal: wrote the tables into docs/testing.md"
  fi
  return "$status"
}

if [ -n "$report" ]; then
  report "$report"
  exit
fi
commit=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
git -C "$repo" diff --quiet HEAD 2>/dev/null || echo "ci-rehearsal: note: uncommitted changes in $repo are not rehearsed" >&2

# Under /var/tmp, not /tmp: the run needs several GiB (Go caches, images) and /tmp may be small or in memory.
work=$(mktemp -d /var/tmp/ci-rehearsal-XXXXXX)
home="$work/home" clone="$work/clone" store="$work/containers"
mkdir -p "$home" "$store"
log="$work/run.log"

cleanup() {
  local status=$?
  # podman's overlay mounts and the world's processes of a failed run must not outlive the directory.
  if [ -f "$clone/target/local-env/pids/etcd" ]; then LOCAL_ENV_DIR="$clone/target/local-env" bash "$clone/dev/local-env.sh" down >/dev/null 2>&1 || true; fi
  grep -o " $store/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "ci-rehearsal: kept $work" >&2; else rm -rf "$work"; fi
  return "$status"
}
trap cleanup EXIT

git clone --quiet --no-local "$repo" "$clone"
git -C "$clone" checkout --quiet --detach "$commit"
cat >"$store/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$store/storage"
runroot = "$store/run"
EOF

echo "ci-rehearsal: commit $(git -C "$clone" log -1 --format='%h %s' | cut -c1-100)"
echo "ci-rehearsal: HOME=$home (empty), podman store $store (empty), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
start=$(date +%s)
set +e
# env -i: none of this shell's caches or settings (GOPATH, GOCACHE, MAVEN_OPTS, ...) leak in; PATH and the
# Python installation's variables are the machine's, as on a CI machine of this kind.
(
  cd "$clone"
  env -i PATH="$PATH" HOME="$home" USER=root LANG=C.UTF-8 CI=true TERM=dumb \
    ${PYENV_ROOT:+PYENV_ROOT="$PYENV_ROOT"} ${PIP_FIND_LINKS:+PIP_FIND_LINKS="$PIP_FIND_LINKS"} \
    ${PIP_CERT:+PIP_CERT="$PIP_CERT"} CONTAINERS_STORAGE_CONF="$store/storage.conf" \
    bash .ci/run </dev/null 2>&1
) | while IFS= read -r line; do printf '%5d %s\n' "$(( $(date +%s) - start ))" "$line"; done | tee "$log"
status=${PIPESTATUS[0]}
set -e
total=$(( $(date +%s) - start ))

echo "$status $total $commit" >"$work/result"
set +e
report "$work"
exit "$status"
