#!/usr/bin/env bash
# Stops the standalone cluster on this host: every TaskManager first, then the JobManager (the pid
# files in WEIR_LOG_DIR say what runs). Works with a broken configuration too. TaskManagers on
# remote hosts (conf/workers) are not stopped: that needs ssh, as for bin/start-cluster.sh.
set -euo pipefail

source="${BASH_SOURCE[0]}"
while [ -L "$source" ]; do
  dir="$(cd -P "$(dirname "$source")" && pwd)"
  source="$(readlink "$source")"
  [[ "$source" == /* ]] || source="$dir/$source"
done
WEIR_BIN="$(cd -P "$(dirname "$source")" && pwd)"
# shellcheck source=weir-env.sh
. "$WEIR_BIN/weir-env.sh"

if workers="$(run_ts bin/weir-conf.ts workers 2>/dev/null)"; then
  while read -r where host; do
    if [ "${where:-}" = remote ]; then echo "Skipping the TaskManager on $host: remote hosts need ssh, which stop-cluster.sh does not do."; fi
  done <<<"$workers"
fi

"$WEIR_BIN/taskmanager.sh" stop all
"$WEIR_BIN/jobmanager.sh" stop
