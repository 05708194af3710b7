#!/usr/bin/env bash
# TaskManagers of a standalone cluster on this host; each start adds one (weir-taskmanager-<n>):
#   bin/taskmanager.sh start                  starts one more, waits for it to be ready
#   bin/taskmanager.sh stop [all|newest|<n>]  stops all of this host (default), the newest, or number n
# Runs node --import tsx cluster/entrypoints/taskmanager.ts with WEIR_TASKMANAGER_ID=<host>-<n>;
# pid files and logs in log/ (WEIR_LOG_DIR).
set -euo pipefail

source="${BASH_SOURCE[0]}"
while [ -L "$source" ]; do
  dir="$(cd -P "$(dirname "$source")" && pwd)"
  source="$(readlink "$source")"
  [[ "$source" == /* ]] || source="$dir/$source"
done
bin="$(cd -P "$(dirname "$source")" && pwd)"

case "${1:-}" in
  start) exec "$bin/weir-daemon.sh" start taskmanager ;;
  stop | stop-all) exec "$bin/weir-daemon.sh" stop taskmanager "${2:-all}" ;;
  *)
    echo "usage: taskmanager.sh start | stop [all|newest|<n>]" >&2
    exit 2
    ;;
esac
