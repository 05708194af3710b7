# Sourced by the bin/ scripts (which set WEIR_BIN to their own folder first): where Weir, its
# configuration and its logs are, and the process helpers the daemon scripts share.
#
# Environment (all optional):
#   WEIR_CONF_DIR        folder of weir.yaml and workers              default <repo>/conf
#   WEIR_LOG_DIR         pid files and logs                           default env.log.dir of weir.yaml (log/)
#   WEIR_NODE            the node binary                              default node
#   WEIR_START_TIMEOUT   seconds a process has to print its ready line  default 20
#   WEIR_STOP_TIMEOUT    seconds a process has to exit after SIGTERM  default 10 (then SIGKILL)
#   WEIR_JOBMANAGER_ENTRY / WEIR_TASKMANAGER_ENTRY   the entry modules (specs pass stand-ins)

WEIR_HOME="$(cd -P "$WEIR_BIN/.." && pwd)"

# Absolute, because the processes run with the repository as their working directory.
absolute_path() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

WEIR_CONF_DIR="$(absolute_path "${WEIR_CONF_DIR:-$WEIR_HOME/conf}")"
WEIR_NODE="${WEIR_NODE:-node}"
export WEIR_CONF_DIR
# env.log.dir of weir.yaml; exported, so the scripts this one starts do not read it again. A broken
# weir.yaml falls back to log/ here: the start reports it, the stop still finds the pid files.
if [ -z "${WEIR_LOG_DIR:-}" ]; then
  WEIR_LOG_DIR="$(cd "$WEIR_HOME" && "$WEIR_NODE" --import tsx bin/weir-conf.ts log-dir 2>/dev/null)" || WEIR_LOG_DIR="$WEIR_HOME/log"
fi
WEIR_LOG_DIR="$(absolute_path "$WEIR_LOG_DIR")"
WEIR_START_TIMEOUT="${WEIR_START_TIMEOUT:-20}"
WEIR_STOP_TIMEOUT="${WEIR_STOP_TIMEOUT:-10}"
WEIR_JOBMANAGER_ENTRY="$(absolute_path "${WEIR_JOBMANAGER_ENTRY:-$WEIR_HOME/cluster/entrypoints/jobmanager.ts}")"
WEIR_TASKMANAGER_ENTRY="$(absolute_path "${WEIR_TASKMANAGER_ENTRY:-$WEIR_HOME/cluster/entrypoints/taskmanager.ts}")"
export WEIR_LOG_DIR

die() {
  printf '%s\n' "$*" >&2
  exit 1
}

require_node() {
  command -v "$WEIR_NODE" >/dev/null 2>&1 || die "cannot find node ('$WEIR_NODE'); install Node.js >= 20.19 or set WEIR_NODE"
}

# Runs a TypeScript file of this repository with tsx (resolved from the repository, whatever the cwd).
run_ts() {
  (cd "$WEIR_HOME" && "$WEIR_NODE" --import tsx "$@")
}

# True when process $1 runs. An exited child of a script that has ended waits for init to reap it,
# which can take a while in a container: kill -0 still finds it, so a zombie counts as gone.
is_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  if command -v ps >/dev/null 2>&1; then
    case "$(ps -o stat= -p "$1" 2>/dev/null)" in Z*) return 1 ;; esac
  fi
  return 0
}

# True when $1 is the pid of a live Weir process (a node process run with tsx, so a reused pid of
# another program is never signalled).
is_weir_process() {
  local pid="$1"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  is_alive "$pid" || return 1
  if command -v ps >/dev/null 2>&1; then
    ps -p "$pid" -o args= 2>/dev/null | grep -q -- '--import tsx' || return 1
  fi
  return 0
}

# True when $1 is a live Weir process, or a bin/ script that claimed a pid file and is starting one.
is_weir_process_or_starter() {
  is_weir_process "$1" && return 0
  [[ "$1" =~ ^[0-9]+$ ]] && is_alive "$1" || return 1
  command -v ps >/dev/null 2>&1 && ps -p "$1" -o args= 2>/dev/null | grep -q 'weir-daemon\.sh'
}

# The pid recorded in a pid file, or nothing.
read_pid() {
  [ -f "$1" ] && tr -dc '0-9' <"$1" || true
}
