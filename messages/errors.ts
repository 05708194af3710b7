// Every error Weir raises on purpose carries one of these codes, the offending value in its message,
// and the underlying error as `cause`. Specs assert the class, the code and the message.

export type ErrorCode =
  // actor runtime
  | 'ASK_TIMEOUT'
  | 'INVALID_ACTOR_NAME'
  | 'DUPLICATE_ACTOR_NAME'
  | 'ACTOR_STOPPED'
  | 'MAILBOX_FULL'
  | 'STASH_FULL'
  | 'DEATH_PACT'
  | 'CHILD_FAILED'
  | 'RESTART_LIMIT_EXCEEDED'
  | 'SYSTEM_TERMINATED'
  | 'INVALID_ADDRESS'
  | 'INVALID_CONFIG'
  // DataStream API: planning a job (api/)
  | 'INVALID_JOB_MODULE'
  | 'INVALID_PIPELINE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_FUNCTION'
  | 'INVALID_PARALLELISM'
  | 'INVALID_PARTITIONING'
  | 'DUPLICATE_OPERATOR_ID'
  | 'INVALID_RUNTIME_MODE'
  // DataStream API: running a subtask (api/runtime)
  | 'PLAN_MISMATCH'
  | 'INVALID_SPLIT'
  | 'SPLIT_REQUEST_FAILED'
  | 'SPLIT_ENUMERATOR_FAILED'
  | 'USER_FUNCTION_FAILED'
  | 'INVALID_KEY'
  | 'MISSING_TIMESTAMP'
  | 'SOURCE_BUFFER_OVERFLOW'
  | 'SOURCE_READ_FAILED'
  | 'SOURCE_CONNECTION_FAILED'
  | 'SINK_WRITE_FAILED'
  | 'ILLEGAL_SUBTASK_STATE'
  // state backends (api/state)
  | 'STATE_NOT_KEYED'
  | 'STATE_KIND_MISMATCH'
  | 'STATE_RESTORE_FAILED'
  | 'STATE_NOT_RESTORED'
  | 'STATE_READ_ONLY'
  | 'STATE_CORRUPT'
  | 'SAVEPOINT_FAILED'
  | 'CHECKPOINT_FAILED'
  // the client and the CLI (api/client, bin/)
  | 'JOBMANAGER_UNREACHABLE'
  | 'TYPE_CHECK_FAILED'
  | 'BUNDLE_FAILED'
  | 'JOB_REJECTED'
  | 'JOB_NOT_FOUND'
  | 'TASK_MANAGER_NOT_FOUND'
  | 'JOB_FAILED'
  | 'JOB_CANCELED'
  | 'CANCELLATION_FAILED'
  | 'NO_EXECUTOR'
  | 'NOT_AVAILABLE'
  | 'COLLECT_FAILED'
  // codec and remoting
  | 'UNKNOWN_MESSAGE_TYPE'
  | 'INVALID_MESSAGE'
  | 'MALFORMED_FRAME'
  | 'FRAME_TOO_LARGE'
  | 'PROTOCOL_VERSION_MISMATCH'
  | 'HANDSHAKE_FAILED'
  | 'HANDSHAKE_TIMEOUT'
  | 'NOT_REMOTE'
  | 'NOT_A_CHILD'
  | 'CONNECTION_FAILED'
  | 'QUARANTINED'
  | 'AUTHENTICATION_FAILED'
  | 'TLS_HANDSHAKE_FAILED'
  // data plane: record batches between TaskManagers (cluster/taskmanager/network)
  | 'DATA_CONNECTION_FAILED'
  | 'DATA_CONNECTION_LOST'
  | 'PARTITION_RELEASED'
  | 'SUBPARTITION_NOT_FOUND'
  | 'PARTITION_REQUEST_FAILED'
  | 'RECORD_ENCODING_FAILED';

export class WeirError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeirError';
    this.code = code;
  }
}

/** The message of anything thrown, for logs and error texts. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The `type` tag of a message, or its JS type when it has none, for errors and traces. */
export function messageType(msg: unknown): string {
  if (typeof msg === 'object' && msg !== null) {
    const tag = (msg as { type?: unknown }).type;
    if (typeof tag === 'string') return tag;
    return msg.constructor?.name ?? 'Object';
  }
  return typeof msg;
}
