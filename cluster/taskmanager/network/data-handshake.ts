// The handshake of one data connection (messages/data-plane.ts), each side as a small state machine
// that takes the peer's handshake frames and says what happens next. Nothing but these frames is
// decoded before a step says 'open'; a data connection's own frames wait (dialler) or are refused
// (listener) until then.
//
// Listener: 'hello' -> (secret) 'proof' -> open.  Dialler with a secret: 'challenge' -> 'accepted'
// -> open; a dialler without one opens at once (nothing answers its Hello, unless to refuse it).
import { type AuthSecret, DiallerAuth, ListenerAuth, authMismatch, wrongAddress } from '../../../actors/index.ts';
import { encode } from '../../../messages/codec.ts';
import { DATA_PROTOCOL_VERSION, type DataFrame, DataFrameKind } from '../../../messages/data-plane.ts';
import { WeirError } from '../../../messages/errors.ts';
import { parseDataAddress } from './data-transport.ts';

/** What the last frame led to. */
export type HandshakeStep =
  | { readonly kind: 'waiting' }
  /** Authenticated, or no authentication on either side: `dataAddress` is the dialler's, as its Hello named it. */
  | { readonly kind: 'open'; readonly dataAddress: string | null }
  /** This side refuses the peer: send Refused with this code and reason, then close. `claimed`: the data address its Hello named. */
  | { readonly kind: 'refuse'; readonly code: RefusalCode; readonly reason: string; readonly claimed?: string }
  /** The peer refused this side (its Refused frame). */
  | { readonly kind: 'refused-by-peer'; readonly code: string; readonly reason: string };

type RefusalCode = 'AUTHENTICATION_REQUIRED' | 'AUTHENTICATION_FAILED' | 'AUTHENTICATION_NOT_CONFIGURED' | 'AUTHENTICATION_ADDRESS_MISMATCH';

const WAITING: HandshakeStep = { kind: 'waiting' };

/** The listener's side: the dialler's Hello, then with a secret its Proof. Sends Challenge and Accepted. */
export class ListeningHandshake {
  private auth: { readonly listener: ListenerAuth; readonly dialler: string; readonly dataAddress: string | null } | undefined;

  /**
   * @param ownAddress this data server's address (the dialler must have dialled it)
   * @param socketPeer the dialler's socket address, naming it until its Hello names its data address
   */
  constructor(
    private readonly secret: AuthSecret | undefined,
    private readonly ownAddress: string,
    private readonly socketPeer: string,
    private readonly send: (frame: Uint8Array) => void,
  ) {}

  /** Throws MALFORMED_FRAME or INVALID_ADDRESS for a frame that breaks the protocol (not an authentication matter). */
  onFrame(frame: DataFrame): HandshakeStep {
    if (this.auth) return this.onProof(frame, this.auth);
    if (frame[0] !== DataFrameKind.Hello) throw new WeirError('MALFORMED_FRAME', `the first frame from ${this.socketPeer} is kind ${frame[0]}, not Hello`);
    const [, , dataAddress, helloAuth] = frame;
    // It becomes the key this connection is found by: it must be an address (INVALID_ADDRESS).
    if (dataAddress !== null) parseDataAddress(dataAddress);
    const dialler = dataAddress ?? this.socketPeer;
    const mismatch = authMismatch(this.secret, helloAuth !== null, `the TaskManager at ${dialler}`);
    const claimed = dataAddress ?? '';
    if (mismatch) return { kind: 'refuse', ...mismatch, claimed };
    if (helloAuth === null || !this.secret) return { kind: 'open', dataAddress };
    const elsewhere = wrongAddress(helloAuth, this.ownAddress, `the TaskManager at ${dialler}`);
    if (elsewhere) return { kind: 'refuse', ...elsewhere, claimed };
    const listener = new ListenerAuth(this.secret, 'data', this.ownAddress, dataAddress ?? '', helloAuth);
    this.auth = { listener, dialler, dataAddress };
    this.send(encode([DataFrameKind.Challenge, listener.nonce]));
    return WAITING;
  }

  private onProof(frame: DataFrame, { listener, dialler, dataAddress }: NonNullable<ListeningHandshake['auth']>): HandshakeStep {
    if (frame[0] !== DataFrameKind.Proof) {
      return { kind: 'refuse', code: 'AUTHENTICATION_FAILED', reason: `the TaskManager at ${dialler} answered the challenge with a frame of kind ${frame[0]}, not a Proof`, claimed: dataAddress ?? '' };
    }
    const problem = listener.problemWith(frame[1], `the TaskManager at ${dialler}`);
    if (problem) return { kind: 'refuse', ...problem, claimed: dataAddress ?? '' };
    this.send(encode([DataFrameKind.Accepted, listener.proof()]));
    return { kind: 'open', dataAddress };
  }
}

/** The dialler's side, with a secret: its Hello, the listener's Challenge, its Proof, the listener's Accepted. */
export class DiallingHandshake {
  private readonly auth: DiallerAuth;

  constructor(
    secret: AuthSecret,
    ownAddress: string | null,
    private readonly peer: string,
    private readonly send: (frame: Uint8Array) => void,
  ) {
    this.auth = new DiallerAuth(secret, 'data', ownAddress ?? '', peer);
    send(encode([DataFrameKind.Hello, DATA_PROTOCOL_VERSION, ownAddress, this.auth.helloAuth]));
  }

  /** Throws MALFORMED_FRAME for a frame that has no place in the handshake. */
  onFrame(frame: DataFrame): HandshakeStep {
    switch (frame[0]) {
      case DataFrameKind.Refused:
        return { kind: 'refused-by-peer', code: frame[1], reason: frame[2] };
      case DataFrameKind.Challenge:
        if (this.auth.answered) break;
        this.send(encode([DataFrameKind.Proof, this.auth.answer(frame[1])]));
        return WAITING;
      case DataFrameKind.Accepted: {
        const problem = this.auth.problemWith(frame[1]);
        if (problem) return { kind: 'refuse', code: problem.code, reason: `the TaskManager at ${this.peer} did not prove it knows the secret: ${problem.reason}` };
        return { kind: 'open', dataAddress: this.peer };
      }
      default:
        // A data frame before the listener proved itself: it never reaches a channel.
        if (!this.auth.answered) return { kind: 'refuse', code: 'AUTHENTICATION_REQUIRED', reason: `the TaskManager at ${this.peer} sent a frame of kind ${frame[0]} without authenticating` };
        return { kind: 'refuse', code: 'AUTHENTICATION_FAILED', reason: `the TaskManager at ${this.peer} sent a frame of kind ${frame[0]} before it proved it knows the secret` };
    }
    throw new WeirError('MALFORMED_FRAME', `a second Challenge from ${this.peer}`);
  }
}
