// The acceptor's side of the handshake of a connection another system dialled: the hello, and with a
// secret the challenge and the dialler's proof, before Remoting admits the peer (admit: association,
// HelloAck, attach). Until then frames are decoded with no actor system behind them (an actor ref
// in one is an error, not a lookup), and only handshake frames of the handshake size are taken.
//
// Lifecycle: 'hello' -> (secret) 'proof' -> admitted or refused; the handshake timeout runs until then.
import { decode, encode } from '../../messages/codec.ts';
import { describeError } from '../../messages/errors.ts';
import { type Frame, FrameKind, type HelloBody, PROTOCOL_VERSION, frameKindName, parseFrame } from '../../messages/remoting.ts';
import type { Logger } from '../log.ts';
import type { Cancellable } from '../scheduler.ts';
import { type AuthMonitor, type AuthRefusalCode, type AuthSecret, authMismatch, hostOf } from './auth.ts';
import { ListenerAuth, wrongAddress } from './handshake-auth.ts';
import type { Connection } from './transport.ts';

/** What accepting needs from Remoting. */
export interface AcceptorHost {
  readonly log: Logger;
  readonly auth: AuthMonitor;
  readonly secret: AuthSecret | undefined;
  readonly handshakeTimeoutMs: number;
  /** weir://name@host:port of this system. */
  readonly ownAddress: string;
  schedule(delayMs: number, task: () => void): Cancellable;
  /**
   * The peer said hello (and, with a secret, proved it knows it): associate it, or refuse it.
   * `ackProof` goes into the HelloAck when the peer asked for authentication.
   */
  admit(connection: Connection, hello: HelloBody, refuse: Refuse, ackProof: Uint8Array | undefined): void;
}

export type Refuse = (code: string, reason: string) => void;

export function acceptConnection(host: AcceptorHost, connection: Connection): void {
  let awaitingProof: { readonly hello: HelloBody; readonly auth: ListenerAuth } | undefined;
  let done = false;
  const timer = host.schedule(host.handshakeTimeoutMs, () => {
    host.log.warn(`no hello from ${connection.remote} within ${host.handshakeTimeoutMs} ms`, { code: 'HANDSHAKE_TIMEOUT' });
    connection.close('handshake timeout');
  });
  const finish = (): void => {
    done = true;
    timer.cancel();
  };
  const refuse: Refuse = (code, reason) => {
    finish();
    host.log.error(`refused connection from ${connection.remote}: ${reason}`, { code, peer: connection.remote });
    reject(connection, code, reason);
  };
  const refuseAuth = (code: AuthRefusalCode, reason: string, claimed: string): void => {
    finish();
    host.auth.refused(code, hostOf(connection.remote), `refused connection from ${connection.remote}: ${code}: ${reason}`, claimed);
    reject(connection, code, reason);
  };

  const onHello = (hello: HelloBody): void => {
    if (hello.version !== PROTOCOL_VERSION) {
      return refuse('PROTOCOL_VERSION_MISMATCH', `${hello.address} speaks weir protocol ${hello.version}; this system speaks ${PROTOCOL_VERSION}`);
    }
    const mismatch = authMismatch(host.secret, hello.auth !== undefined, hello.address);
    if (mismatch) return refuseAuth(mismatch.code, mismatch.reason, hello.address);
    if (hello.auth === undefined) {
      finish();
      return host.admit(connection, hello, refuse, undefined);
    }
    // The proofs bind the address dialled: another name for this system (localhost for 127.0.0.1) cannot check out.
    const elsewhere = wrongAddress(hello.auth, host.ownAddress, hello.address);
    if (elsewhere) return refuseAuth(elsewhere.code, elsewhere.reason, hello.address);
    const auth = new ListenerAuth(host.secret as AuthSecret, 'rpc', host.ownAddress, hello.address, hello.auth);
    awaitingProof = { hello, auth };
    connection.send(encode([FrameKind.Challenge, auth.nonce]));
  };

  const onProof = (frame: Frame, { hello, auth }: { readonly hello: HelloBody; readonly auth: ListenerAuth }): void => {
    if (frame[0] !== FrameKind.Proof) return refuseAuth('AUTHENTICATION_FAILED', `${hello.address} answered the challenge with a ${frameKindName(frame[0])} frame, not a proof`, hello.address);
    const problem = auth.problemWith(frame[1], hello.address);
    if (problem) return refuseAuth(problem.code, problem.reason, hello.address);
    finish();
    host.admit(connection, hello, refuse, auth.proof());
  };

  connection.setHandlers({
    onFrame: (bytes) => {
      if (done) return; // refused: the close is on its way
      try {
        let frame: Frame;
        try {
          frame = parseFrame(decode(bytes));
        } catch (error) {
          const what = awaitingProof ? 'the answer to the challenge is not a weir proof' : 'the first frame is not a weir hello';
          return refuse('HANDSHAKE_FAILED', `${what}: ${describeError(error)}`);
        }
        if (awaitingProof) return onProof(frame, awaitingProof);
        if (frame[0] !== FrameKind.Hello) return refuse('HANDSHAKE_FAILED', `the first frame is not a weir hello but a ${frameKindName(frame[0])} frame`);
        onHello(frame[1]);
      } catch (error) {
        // The net under the checks above: this connection is refused, nothing else.
        refuse('HANDSHAKE_FAILED', `the handshake could not be handled: ${describeError(error)}`);
      }
    },
    onClose: (reason) => {
      timer.cancel();
      // A hello over the handshake limit never reaches onFrame: say why the connection went.
      if (reason.includes('FRAME_TOO_LARGE')) {
        host.log.warn(`closed the connection from ${connection.remote} before its hello: ${reason}`, { code: 'FRAME_TOO_LARGE', peer: connection.remote });
      }
    },
  });
}

function reject(connection: Connection, code: string, reason: string): void {
  connection.send(encode([FrameKind.Reject, { code, reason }]));
  connection.close(code);
}

