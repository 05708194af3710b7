// What a client says when the JobManager and it do not agree on the secret: which side refused,
// and which setting to look at, at once rather than after a request timed out.
import { AuthenticationError } from '../../actors/index.ts';
import { WeirError } from '../../messages/errors.ts';

const CHECK = 'check security.auth.secret / WEIR_AUTH_SECRET';

/** The client's error for a refused handshake with the JobManager at `address` (host:port); other errors as they are. */
export function clientConnectError(error: unknown, address: string): unknown {
  if (!(error instanceof AuthenticationError)) return error;
  const jobManager = `the JobManager at ${address}`;
  const { reason } = error;
  let message: string;
  if (error.refusedBy === 'self') {
    message = `${jobManager} did not prove it knows the secret (${reason}); ${CHECK}, and that ${address} is your JobManager`;
  } else {
    switch (error.refusal) {
      case 'AUTHENTICATION_FAILED':
        message = `${jobManager} refused this client's proof; ${CHECK}`;
        break;
      case 'AUTHENTICATION_REQUIRED':
        message = `${jobManager} requires a secret, and this client has none; set security.auth.secret or WEIR_AUTH_SECRET`;
        break;
      case 'AUTHENTICATION_NOT_CONFIGURED':
        message = `${jobManager} has no secret, but this client has one; ${CHECK} (unset them for a cluster without one)`;
        break;
      case 'AUTHENTICATION_ADDRESS_MISMATCH':
        message = `${jobManager} refused this client: ${reason}`;
        break;
      default: {
        const impossible: never = error.refusal;
        return impossible;
      }
    }
  }
  return new WeirError('AUTHENTICATION_FAILED', `authentication failed: ${message}`, { cause: error });
}
