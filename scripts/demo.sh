#!/usr/bin/env bash
# The main job: install, build, start three Docker hosts on this machine (the
# lab: network namespaces with their own dockerd and sshd, reached over real
# SSH), and deploy an ordinary compose file across them
# (testdata/demo-deploy/compose.yaml). Shows the plan, applies it (web's
# image is built on one host and streamed to the others; a config, a project
# file and a secret reach the hosts that need them), prints `baton ps`, asks
# each host's published port for a page (which web filled in by asking api
# by name over the cluster network), resolves api from each host, and shows
# that a second `up` changes nothing. The stack and the lab stay up afterwards so
# you can look around; the last lines say how to remove them. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
baton=./build/cli/baton
demo=testdata/demo-deploy/compose.yaml
# The db password is a secret read from a file: make one, never commit it.
secret=testdata/demo-deploy/secrets/db-password.txt
if [ ! -s "$secret" ]; then
  mkdir -p "$(dirname "$secret")"
  (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$secret")
fi

echo "== baton lab up 3: three Docker hosts reached over SSH" >&2
"$baton" lab up 3 >/dev/null
export BATON_HOSTS=/var/lib/baton-lab/baton.hosts.yaml
"$baton" hosts ls

echo "== baton plan: where each replica goes, as a diff against what runs" >&2
"$baton" -f "$demo" plan || true
echo "== baton up -d: web built once and streamed, hosts in parallel, depends_on honoured across hosts" >&2
"$baton" -f "$demo" up -d
echo "== baton ps" >&2
"$baton" -f "$demo" ps

echo "== each host answers on its published port 8080; web asked api by name, across hosts" >&2
for address in 10.209.0.11 10.209.0.12 10.209.0.13; do
  printf 'GET / HTTP/1.0\r\n\r\n' | busybox nc -w 3 "$address" 8080 | tail -n 1
done

echo "== service DNS on every host: web on each host resolves api's replicas, wherever they run" >&2
for index in 1 2 3; do
  "$baton" -f "$demo" exec -T --index "$index" web nslookup api | sed -n 's/^Address: /  api -> /p'
done

echo "== the secret reached db's container only, with mode 0444, and is in no label or log" >&2
"$baton" -f "$demo" exec -T db ls -l /run/secrets

echo "== a second baton up: nothing changed, so nothing is touched" >&2
"$baton" -f "$demo" up -d
echo "== the migration's log, read from whichever host ran it" >&2
"$baton" -f "$demo" logs migrate

cat >&2 <<NOTE
== done. The stack and the lab are still running. Try:
  export BATON_HOSTS=$BATON_HOSTS
  $baton -f $demo logs -f web
  $baton -f $demo exec web sh
Remove them with:
  $baton -f $demo down -v && $baton lab down
NOTE
