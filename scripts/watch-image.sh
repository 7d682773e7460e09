#!/usr/bin/env bash
# Writes a root filesystem tarball for running `baton watch` as a container:
# the built baton and baton-netd, the shared libraries baton links (as ldd
# lists them), and an /etc/passwd with root. No base image and no registry
# are needed; load it on a host with `docker import`:
#
#   bash scripts/watch-image.sh baton-watch.tar [BUILD_DIR]
#   docker import --change 'ENTRYPOINT ["/usr/local/bin/baton"]' baton-watch.tar baton/watch
#
# (over SSH: ssh HOST docker import --change ... - baton/watch < baton-watch.tar).
# The binaries are stripped of debug information when `strip` is installed.
set -euo pipefail
out=${1:?usage: watch-image.sh OUT.tar [BUILD_DIR]}
build=${2:-"$(dirname "$0")/../build"}
baton="$build/cli/baton"
netd="$build/cli/baton-netd"
for binary in "$baton" "$netd"; do
  [[ -x "$binary" ]] || { echo "watch-image.sh: $binary is missing: build baton first" >&2; exit 1; }
done
root=$(mktemp -d /tmp/baton-watch-image.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/root"
chmod 1777 "$root/tmp"
cp "$baton" "$netd" "$root/usr/local/bin/"
if command -v strip >/dev/null; then
  strip --strip-debug "$root/usr/local/bin/baton" "$root/usr/local/bin/baton-netd"
fi
# Every library ldd resolves ("name => /path (addr)") and the loader ("/lib64/ld-... (addr)"),
# at the same path as on this machine.
ldd "$baton" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' |
  while read -r library; do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
  done
echo 'root:x:0:0:root:/root:/usr/local/bin/baton' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
tar -C "$root" -cf "$out" .
