#!/usr/bin/env bash
# The JobManager of a standalone cluster on this host (Dispatcher and ResourceManager):
#   bin/jobmanager.sh start   starts it, waits for it to be ready; refuses while one runs
#   bin/jobmanager.sh stop    stops it (SIGTERM, then SIGKILL after WEIR_STOP_TIMEOUT seconds)
# Runs node --import tsx cluster/entrypoints/jobmanager.ts; pid file and logs in log/ (WEIR_LOG_DIR).
set -euo pipefail

source="${BASH_SOURCE[0]}"
while [ -L "$source" ]; do
  dir="$(cd -P "$(dirname "$source")" && pwd)"
  source="$(readlink "$source")"
  [[ "$source" == /* ]] || source="$dir/$source"
done
bin="$(cd -P "$(dirname "$source")" && pwd)"

case "${1:-}" in
  start | stop) exec "$bin/weir-daemon.sh" "$1" jobmanager ;;
  *)
    echo "usage: jobmanager.sh start|stop" >&2
    exit 2
    ;;
esac
