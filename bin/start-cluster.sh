#!/usr/bin/env bash
# Starts a standalone session cluster: one JobManager on this host, then one TaskManager per line of
# conf/workers (WEIR_CONF_DIR) whose host is this machine (localhost, 127.0.0.1, its hostname or one
# of its addresses). conf/weir.yaml and conf/workers are validated first; a mistake stops the start.
# Each process must print its ready line within WEIR_START_TIMEOUT seconds (default 20), else the
# start fails with the tail of its log. bin/stop-cluster.sh stops what this started.
#
# Remote hosts are not started: that needs ssh, as Flink does it —
#   ssh -n "$host" "cd '$WEIR_HOME' && WEIR_CONF_DIR='$WEIR_CONF_DIR' bin/taskmanager.sh start"
# with the same repository path and configuration on every host. This script prints a line for
# each remote host it skips.
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

require_node
workers="$(run_ts bin/weir-conf.ts workers)" || die "start-cluster: the configuration in $WEIR_CONF_DIR is invalid (above); nothing was started."

"$WEIR_BIN/jobmanager.sh" start || die "start-cluster: the JobManager did not start (above); nothing was started."

started=0
while read -r where host; do
  [ -n "${where:-}" ] || continue
  if [ "$where" = local ]; then
    "$WEIR_BIN/taskmanager.sh" start ||
      die "start-cluster: the TaskManager for worker $host did not start (above); the cluster is partly up: the JobManager and $started TaskManager(s) run (bin/stop-cluster.sh stops them)."
    started=$((started + 1))
  else
    echo "Skipping the TaskManager on $host: remote hosts need ssh, which start-cluster.sh does not do (see the comment at its top)."
  fi
done <<<"$workers"

if [ "$started" -eq 0 ]; then
  echo "No TaskManager on this host: $WEIR_CONF_DIR/workers lists none of its names; jobs will wait for slots."
fi
echo "Cluster started: 1 JobManager, $started TaskManager(s). Submit with: bin/weir run <job-module>"
