// The dialler's side of the handshake of a connection an association dialled: the hello, and with a
// secret the proof that answers the acceptor's challenge, then the check of the acceptor's own proof
// in its HelloAck, before the association attaches the connection. Answers are decoded with no actor
// system behind them, and only handshake frames of the handshake size are taken until then.
import { encode } from '../../messages/codec.ts';
import { WeirError, describeError } from '../../messages/errors.ts';
import { type Frame, FrameKind, PROTOCOL_VERSION, frameKindName } from '../../messages/remoting.ts';
import { AuthenticationError, isAuthRefusalCode } from './auth.ts';
import type { AssociationHost } from './association.ts';
import { DiallerAuth } from './handshake-auth.ts';
import type { Connection } from './transport.ts';

/** What dialling needs from its association. */
export interface DiallerHost {
  readonly host: Pick<AssociationHost, 'options' | 'log' | 'auth' | 'schedule' | 'ownHello' | 'decodeControl'>;
  /** The peer's address, as dialled. */
  readonly address: string;
  /** False once the association moved on (connected another way, or removed). */
  stillConnecting(): boolean;
  /** The acceptor said HelloAck (and proved itself): the connection is the association's. */
  admitted(connection: Connection, uid: string): void;
  /** The handshake was refused, by the peer or here: whoever waits for a connection hears `error`. */
  refused(error: Error): void;
  /** The connection closed before the handshake completed. */
  closed(): void;
}

export function dialHandshake(dialling: DiallerHost, connection: Connection): void {
  const { host, address } = dialling;
  const timer = host.schedule(host.options.handshakeTimeoutMs, () => {
    host.log.warn(`no hello answer from ${address} within ${host.options.handshakeTimeoutMs} ms`, { code: 'HANDSHAKE_TIMEOUT' });
    connection.close('handshake timeout');
  });
  const hello = host.ownHello();
  const secret = host.options.secret;
  const auth = secret ? new DiallerAuth(secret, 'rpc', hello.address, address) : undefined;
  connection.setHandlers({
    onFrame: (bytes) => {
      try {
        if (onAnswer(dialling, connection, host.decodeControl(bytes), auth)) timer.cancel();
      } catch (error) {
        // The answer was checked; this is the net under what handling it may still throw.
        timer.cancel();
        host.log.error(`closing the connection to ${address}: its answer to our hello could not be handled: ${describeError(error)}`, { code: 'HANDSHAKE_FAILED', peer: address });
        connection.close('HANDSHAKE_FAILED');
      }
    },
    onClose: (reason) => {
      timer.cancel();
      // An answer over the handshake limit never reaches onFrame: say why the connection went.
      if (reason.includes('FRAME_TOO_LARGE')) {
        host.log.warn(`closed the connection to ${address} before the handshake completed: ${reason}`, { code: 'FRAME_TOO_LARGE', peer: address });
      }
      dialling.closed();
    },
  });
  connection.send(encode([FrameKind.Hello, auth ? { ...hello, auth: auth.helloAuth } : hello]));
}

/** Handles one answer of the acceptor's; true once the handshake ended (admitted or closed). */
function onAnswer(dialling: DiallerHost, connection: Connection, frame: Frame | WeirError, auth: DiallerAuth | undefined): boolean {
  const { host, address } = dialling;
  if (!dialling.stillConnecting()) {
    connection.close('association is no longer connecting');
    return true;
  }
  if (!(frame instanceof WeirError) && frame[0] === FrameKind.Challenge && auth && !auth.answered) {
    connection.send(encode([FrameKind.Proof, auth.answer(frame[1])]));
    return false;
  }
  if (!(frame instanceof WeirError) && frame[0] === FrameKind.HelloAck && frame[1].version === PROTOCOL_VERSION) {
    const unproven = auth?.problemWith(frame[1].proof);
    if (!unproven) {
      dialling.admitted(connection, frame[1].uid);
      return true;
    }
    host.auth.refused(unproven.code, address, `closing the connection to ${address}: ${unproven.code}: ${unproven.reason}`);
    dialling.refused(new AuthenticationError(unproven.code, 'self', unproven.reason, `${address} did not prove it knows the secret: ${unproven.reason}`));
    // Told, so that the acceptor logs why the connection it admitted went.
    connection.send(encode([FrameKind.Reject, { code: unproven.code, reason: `${host.ownHello().address} refused the proof of ${address}: ${unproven.reason}` }]));
    connection.close(unproven.code);
    return true;
  }
  const reject = !(frame instanceof WeirError) && frame[0] === FrameKind.Reject ? frame[1] : undefined;
  const code = reject?.code ?? 'HANDSHAKE_FAILED';
  const reason = reject?.reason ?? `unexpected answer to hello: ${frame instanceof WeirError ? frame.message : `a ${frameKindName(frame[0])} frame`}`;
  if (code === 'DUPLICATE') {
    // Both sides dialled at once; the peer keeps the connection it dialled (lower address wins).
    host.log.debug(`${address} keeps its own connection to us`);
  } else if (isAuthRefusalCode(code)) {
    host.auth.refusedBy(address, code, reason);
    dialling.refused(new AuthenticationError(code, 'peer', reason, `${address} refused this system's authentication: ${code}: ${reason}`));
  } else {
    host.log.error(`${address} refused the connection: ${reason}`, { code, peer: address });
    dialling.refused(new WeirError(code === 'PROTOCOL_VERSION_MISMATCH' ? code : 'HANDSHAKE_FAILED', `${address} refused the connection: ${code}: ${reason}`));
  }
  connection.close(code);
  return true;
}
