#!/usr/bin/env bash
# Starts and stops one Weir process on this host, with a pid file and logs in WEIR_LOG_DIR:
#   weir-daemon.sh start jobmanager            refuses while one runs
#   weir-daemon.sh start taskmanager           the next free index n (weir-taskmanager-<n>)
#   weir-daemon.sh stop  jobmanager
#   weir-daemon.sh stop  taskmanager [all|newest|<n>]   default: all of this host
# A process prints {"ready":true,"address":...} on stdout once up; start waits for that line
# (WEIR_START_TIMEOUT seconds), else fails with the tail of the process's logs. stdout goes to
# <name>.out, stderr (the JSON log lines) to <name>.log; the previous run's files become .1.
# A TaskManager runs under a supervisor: when its cancellation watchdog killed it (a task that would
# not stop within task.cancellation.timeout; it writes <name>.fatal first), it is started again,
# appending to the same files. The pid file always names the running node process; a stop removes
# it before any SIGKILL, so a stopped TaskManager is never started again.
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

# Waits poll the process this often; a timeout of N seconds is N * POLLS_PER_SECOND polls (at least N s).
POLL_INTERVAL=0.1
POLLS_PER_SECOND=10

usage() {
  die "usage: weir-daemon.sh start (jobmanager|taskmanager) | stop jobmanager | stop taskmanager [all|newest|<n>]"
}

# --- naming -------------------------------------------------------------------------------------

tm_name() { printf 'weir-taskmanager-%s' "$1"; }
tm_label() { printf 'TaskManager %s' "$1"; }

# Indexes of this host's TaskManager pid files, ascending.
tm_indexes() {
  local file
  for file in "$WEIR_LOG_DIR"/weir-taskmanager-*.pid; do
    [ -e "$file" ] || continue
    file="${file##*/weir-taskmanager-}"
    printf '%s\n' "${file%.pid}"
  done | grep -E '^[0-9]+$' | sort -n || true
}

# --- start --------------------------------------------------------------------------------------

# Creates the pid file only if it does not exist (noclobber), holding this script's pid until the
# process is started: two concurrent starts cannot both claim it.
claim_pid_file() {
  (set -C; printf '%s\n' "$$" >"$1") 2>/dev/null
}

claim_jobmanager() {
  local pidfile="$1" pid
  claim_pid_file "$pidfile" && return 0
  pid="$(read_pid "$pidfile")"
  if is_weir_process_or_starter "$pid"; then
    die "JobManager already running (pid $pid); bin/jobmanager.sh stop stops it"
  fi
  echo "Removing the stale pid file $pidfile (pid ${pid:-none} is not running)."
  rm -f "$pidfile"
  claim_pid_file "$pidfile" || die "another start claimed $pidfile"
}

# Prints the index claimed: one more than the highest live one (stale pid files removed first).
claim_taskmanager() {
  local index pid highest=0
  for index in $(tm_indexes); do
    pid="$(read_pid "$WEIR_LOG_DIR/$(tm_name "$index").pid")"
    if is_weir_process_or_starter "$pid"; then
      highest="$index"
    else
      rm -f "$WEIR_LOG_DIR/$(tm_name "$index").pid"
    fi
  done
  index=$((highest + 1))
  until claim_pid_file "$WEIR_LOG_DIR/$(tm_name "$index").pid"; do index=$((index + 1)); done
  printf '%s\n' "$index"
}

rotate() {
  local file
  for file in "$@"; do
    if [ -e "$file" ]; then mv -f "$file" "$file.1"; fi
  done
}

# start_process <label> <name> <entry> <plain|supervised> [VAR=value...]: runs the entry (under
# supervise when asked), records its pid, waits for ready.
start_process() {
  local label="$1" name="$2" entry="$3" mode="$4"
  shift 4
  local pidfile="$WEIR_LOG_DIR/$name.pid" out="$WEIR_LOG_DIR/$name.out" log="$WEIR_LOG_DIR/$name.log"
  rotate "$out" "$log"
  [ -f "$entry" ] || { rm -f "$pidfile"; die "cannot start $label: no entry module at $entry"; }
  if [ "$mode" = supervised ]; then
    supervise "$pidfile" "$WEIR_LOG_DIR/$name.fatal" "$out" "$log" "$entry" "$@" </dev/null >/dev/null 2>&1 &
    disown "$!"
    # The pid file holds this script's pid until the supervisor wrote node's.
    local polls=$POLLS_PER_SECOND
    while [ "$(read_pid "$pidfile")" = "$$" ] && (((polls -= 1) >= 0)); do sleep "$POLL_INTERVAL"; done
  else
    # exec: the recorded pid is node's own.
    (cd "$WEIR_HOME" && exec env "$@" nohup "$WEIR_NODE" --import tsx "$entry" >"$out" 2>"$log" </dev/null) &
    local pid=$!
    disown "$pid" # bash neither waits for it nor reports its end
    printf '%s\n' "$pid" >"$pidfile"
  fi
  wait_ready "$label" "$(read_pid "$pidfile")" "$pidfile" "$out" "$log"
}

# supervise <pidfile> <fatal> <out> <log> <entry> [VAR=value...]: runs the TaskManager entry, and
# again each time its watchdog killed it (the fatal file exists and the pid file still names it).
supervise() {
  local pidfile="$1" fatal="$2" out="$3" log="$4" entry="$5" pid
  shift 5
  trap '' HUP
  while :; do
    rm -f "$fatal"
    (cd "$WEIR_HOME" && exec env "$@" WEIR_TASKMANAGER_FATAL_FILE="$fatal" nohup "$WEIR_NODE" --import tsx "$entry" >>"$out" 2>>"$log" </dev/null) &
    pid=$!
    printf '%s\n' "$pid" >"$pidfile"
    wait "$pid" || true
    if [ ! -e "$fatal" ] || [ "$(read_pid "$pidfile")" != "$pid" ]; then break; fi
    printf '{"time":"%s","level":"warn","msg":"the TaskManager (pid %s) was killed by its cancellation watchdog; starting it again"}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$pid" >>"$log"
    sleep 1
  done
  rm -f "$fatal"
}

wait_ready() {
  local label="$1" pid="$2" pidfile="$3" out="$4" log="$5"
  local polls=$((WEIR_START_TIMEOUT * POLLS_PER_SECOND))
  until grep -Eq '"ready"[[:space:]]*:[[:space:]]*true' "$out" 2>/dev/null; do
    if ! is_alive "$pid"; then
      rm -f "$pidfile"
      start_failed "$label exited before it was ready" "$out" "$log"
    fi
    if (((polls -= 1) < 0)); then
      rm -f "$pidfile" # first: the supervisor does not start it again
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" "$POLLS_PER_SECOND"
      rm -f "$pidfile"
      start_failed "$label printed no ready line within $WEIR_START_TIMEOUT s (WEIR_START_TIMEOUT); killed pid $pid" "$out" "$log"
    fi
    sleep "$POLL_INTERVAL"
  done
  local address
  address="$(sed -n 's/.*"address"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$out" | head -n 1)"
  echo "Started $label (pid $pid) at ${address:-an unknown address}; logs in $WEIR_LOG_DIR/${out##*/} and ${log##*/}."
  # A process without a secret that listens off loopback says so in its ready line (docs/security.md).
  local warning
  warning="$(sed -n 's/.*"warning"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$out" | head -n 1)"
  if [ -n "$warning" ]; then echo "WARNING: $label: $warning" >&2; fi
}

start_failed() {
  local reason="$1" out="$2" log="$3"
  {
    echo "$reason. Last lines of $log:"
    tail -n 20 "$log" 2>/dev/null | sed 's/^/  /'
    if [ -s "$out" ]; then
      echo "Last lines of $out:"
      tail -n 5 "$out" | sed 's/^/  /'
    fi
  } >&2
  exit 1
}

# --- stop ---------------------------------------------------------------------------------------

# stop_process <label> <pidfile>: SIGTERM, a bounded wait, then SIGKILL; removes the pid file.
stop_process() {
  local label="$1" pidfile="$2" pid
  pid="$(read_pid "$pidfile")"
  if ! is_weir_process "$pid"; then
    rm -f "$pidfile"
    echo "$label was not running (stale pid file removed)."
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  wait_gone_weir "$pid" $((WEIR_STOP_TIMEOUT * POLLS_PER_SECOND))
  rm -f "$pidfile"
  # Still the Weir process (not a pid the kernel gave to another program meanwhile: pid_max may be 32768).
  if is_weir_process "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" "$POLLS_PER_SECOND" # SIGKILL cannot be ignored; the kernel needs a moment
    echo "Killed $label (pid $pid) with SIGKILL: it did not stop within $WEIR_STOP_TIMEOUT s of SIGTERM (WEIR_STOP_TIMEOUT)."
  else
    echo "Stopped $label (pid $pid)."
  fi
}

# wait_gone_weir <pid> <polls>: as wait_gone, but a pid that no longer runs Weir (exited and reused) is gone.
wait_gone_weir() {
  local polls="$2"
  while is_weir_process "$1" && (((polls -= 1) >= 0)); do sleep "$POLL_INTERVAL"; done
}

# wait_gone <pid> <polls>: polls until the process is gone, at most <polls> times.
wait_gone() {
  local polls="$2"
  while is_alive "$1" && (((polls -= 1) >= 0)); do sleep "$POLL_INTERVAL"; done
}

stop_taskmanagers() {
  local which="${1:-all}" indexes index
  indexes="$(tm_indexes)"
  if [ -z "$indexes" ]; then
    echo "No TaskManager to stop on this host."
    return 0
  fi
  case "$which" in
    all | stop-all) ;;
    newest) indexes="$(printf '%s\n' "$indexes" | tail -n 1)" ;;
    *)
      [[ "$which" =~ ^[0-9]+$ ]] || usage
      printf '%s\n' "$indexes" | grep -qx "$which" || die "no TaskManager $which on this host (running: $(echo $indexes))"
      indexes="$which"
      ;;
  esac
  for index in $indexes; do stop_process "$(tm_label "$index")" "$WEIR_LOG_DIR/$(tm_name "$index").pid"; done
}

# --- main ---------------------------------------------------------------------------------------

[ $# -ge 2 ] || usage
action="$1" role="$2"
mkdir -p "$WEIR_LOG_DIR"

case "$action/$role" in
  start/jobmanager)
    require_node
    claim_jobmanager "$WEIR_LOG_DIR/weir-jobmanager.pid"
    start_process JobManager weir-jobmanager "$WEIR_JOBMANAGER_ENTRY" plain
    ;;
  start/taskmanager)
    require_node
    index="$(claim_taskmanager)"
    host="${HOSTNAME%%.*}"
    # taskmanager.memory.heap.size becomes node's --max-old-space-size (an invalid weir.yaml is the
    # TaskManager's own to report, with its line).
    node_options="$(cd "$WEIR_HOME" && "$WEIR_NODE" --import tsx bin/weir-conf.ts taskmanager-node-options 2>/dev/null)" || node_options=""
    start_process "$(tm_label "$index")" "$(tm_name "$index")" "$WEIR_TASKMANAGER_ENTRY" supervised "WEIR_TASKMANAGER_ID=${host//[^A-Za-z0-9_-]/-}-$index" \
      ${node_options:+"NODE_OPTIONS=${NODE_OPTIONS:+$NODE_OPTIONS }$node_options"}
    ;;
  stop/jobmanager)
    if [ -e "$WEIR_LOG_DIR/weir-jobmanager.pid" ]; then
      stop_process JobManager "$WEIR_LOG_DIR/weir-jobmanager.pid"
    else
      echo "No JobManager to stop on this host."
    fi
    ;;
  stop/taskmanager)
    stop_taskmanagers "${3:-all}"
    ;;
  *) usage ;;
esac
