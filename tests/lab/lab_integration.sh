#!/usr/bin/env bash
# Integration checks against a real lab, run by ctest (tests/lab/CMakeLists.txt).
# Usage: lab_integration.sh BATON_BINARY CHECK
# The lab directory comes from BATON_LAB_DIR. Each CHECK tests one behaviour and exits 0 (pass),
# 1 (fail) or 77 (skipped: not root, or dockerd/sshd/docker missing).
set -euo pipefail

baton=$1
check=$2
dir=${BATON_LAB_DIR:-/var/lib/baton-lab}
hosts=(lab1 lab2 lab3)

fail() { echo "FAIL: $*" >&2; exit 1; }
address() { echo "10.209.0.$((10 + ${1#lab}))"; }
docker_on() { local h=$1; shift; docker -H "unix://$dir/hosts/$h/run/docker.sock" "$@"; }
in_host_net() { local h=$1; shift; nsenter --net="/run/netns/batonlab-$h" "$@"; }
ssh_to() {
  local h=$1; shift
  ssh -F /dev/null -i "$dir/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$dir/known_hosts" \
    -o ConnectTimeout=5 -o LogLevel=ERROR "root@$(address "$h")" "$@"
}
lab() { "$baton" lab "$@" --dir "$dir"; }

# Pids (not zombies) of processes carrying the lab's marker variable.
marked_processes() {
  local p
  for p in /proc/[0-9]*; do
    [[ $(awk '{print $3}' "$p/stat" 2>/dev/null) == Z ]] && continue
    tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -q '^BATON_LAB_HOST=' && echo "${p#/proc/}"
  done
  return 0
}

alive() { [[ -e /proc/$1 && $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

skip_unless_able() {
  [[ $(id -u) == 0 ]] || { echo "skipped: the lab needs root"; exit 77; }
  local tool
  for tool in dockerd /usr/sbin/sshd docker ssh nsenter busybox iptables; do
    command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
  done
}

check_up() {
  local started=$SECONDS
  lab up 3
  echo "lab up 3 took $((SECONDS - started)) s"
}

check_down() { lab down; }

check_status_ok() {
  local out
  out=$(lab status) || fail "status exits non-zero: $out"
  for h in "${hosts[@]}"; do
    grep -Eq "^$h +running +$(address "$h") " <<<"$out" || fail "$h not running: $out"
  done
}

check_ping() {
  for a in "${hosts[@]}"; do
    for b in "${hosts[@]}"; do
      [[ $a == "$b" ]] && continue
      in_host_net "$a" busybox ping -c1 -W2 "$(address "$b")" >/dev/null ||
        fail "$a cannot ping $b"
    done
  done
}

check_hostnames() {
  for h in "${hosts[@]}"; do
    [[ $(ssh_to "$h" hostname) == "$h" ]] || fail "$h has hostname $(ssh_to "$h" hostname)"
  done
  [[ $(hostname) != lab[0-9]* ]] || fail "the machine's hostname changed to $(hostname)"
}

check_separate_docker() {
  local name=baton-lab-probe-$$
  docker_on lab1 create --name "$name" baton/busybox:lab true >/dev/null
  docker_on lab1 inspect "$name" >/dev/null || fail "container missing on lab1"
  for h in lab2 lab3; do
    docker_on "$h" inspect "$name" >/dev/null 2>&1 && fail "lab1's container visible on $h"
  done
  docker_on lab1 rm "$name" >/dev/null
  for h in "${hosts[@]}"; do
    [[ $(docker_on "$h" info -f '{{.DockerRootDir}}') == "$dir/hosts/$h/docker" ]] ||
      fail "$h does not use its own data root"
  done
}

check_busybox() {
  for h in "${hosts[@]}"; do
    [[ $(ssh_to "$h" docker run --rm baton/busybox:lab echo hi) == hi ]] ||
      fail "busybox does not run on $h"
  done
  [[ $(docker_on lab2 run --rm busybox:latest echo hi) == hi ]] || fail "busybox:latest missing"
}

check_up_after_kill() {
  docker_on lab1 run -d --name baton-lab-debris baton/busybox:lab sleep 600 >/dev/null
  local container
  container=$(docker_on lab1 inspect -f '{{.State.Pid}}' baton-lab-debris)
  # shellcheck disable=SC2046
  kill -9 $(cat "$dir"/hosts/*/pin.pid "$dir"/hosts/*/run/docker.pid "$dir"/hosts/*/run/sshd.pid)
  if lab status >/dev/null; then fail "status exits 0 after kill -9"; fi
  lab up 3 || fail "lab up after kill -9 failed"
  lab status >/dev/null || fail "lab is broken after re-running up"
  ! alive "$container" || fail "container $container of the killed lab still runs"
  ! docker_on lab1 inspect baton-lab-debris >/dev/null 2>&1 || fail "old container remains"
}

check_up_after_killed_up() {
  "$baton" lab up 3 --dir "$dir" >/dev/null 2>&1 &
  local up=$!
  # Kill it part-way; a fast machine may already have finished, which must not fail the check.
  sleep 0.5
  kill -9 "$up" 2>/dev/null || true
  wait "$up" 2>/dev/null || true
  lab up 3 || fail "lab up after a killed lab up failed"
  check_status_ok
}

check_down_leaves_nothing() {
  lab down
  ! ls /run/netns 2>/dev/null | grep -q '^batonlab-' || fail "network namespaces remain"
  ! ip -o link show | grep -q batonlab || fail "bridge or veths remain"
  for table in filter nat; do
    ! iptables -w -t "$table" -S | grep -q -- '--comment "\?baton-lab' ||
      fail "iptables $table rules remain"
  done
  [[ -z $(marked_processes) ]] || fail "lab processes remain: $(marked_processes)"
  ! ls -d /sys/fs/cgroup/baton-lab-* /sys/fs/cgroup/*/baton-lab-* 2>/dev/null ||
    fail "cgroups remain"
  [[ ! -e $dir/hosts && ! -e $dir/baton.hosts.yaml && ! -e $dir/known_hosts ]] ||
    fail "lab files remain"
  [[ -f $dir/id_ed25519 && -f $dir/id_ed25519.pub ]] || fail "down removed the lab key"
  lab down || fail "second down exits non-zero"
  local rc=0
  lab status >/dev/null || rc=$?
  [[ $rc == 3 ]] || fail "status after down exits $rc, want 3"
  # Leave a lab for any test that runs later; the fixture's cleanup removes it.
  lab up 3 >/dev/null || fail "lab up after down failed"
}

skip_unless_able
"check_${check//-/_}"
