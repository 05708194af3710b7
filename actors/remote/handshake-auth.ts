// The two sides of one authenticated handshake, for either plane (remoting here, the data plane in
// cluster/taskmanager/network): what each sends, and what it checks. The frames that carry these
// are the plane's own; the order is the same on both:
//   dialler: hello with its nonce and the address it dialled  ->  listener: its nonce (challenge)
//   dialler: its proof  ->  listener checks it, then answers with its own proof  ->  dialler checks it.
// The dialler proves first, so a listener never proves anything to a peer that has not proved itself.
import type { HelloAuth } from '../../messages/auth.ts';
import { type AuthPlane, type AuthRefusalCode, type AuthSecret, type HandshakeFacts, newNonce } from './auth.ts';

export interface AuthProblem {
  readonly code: AuthRefusalCode;
  readonly reason: string;
}

export class DiallerAuth {
  /** What the hello carries: this side's nonce and the address it dialled. */
  readonly helloAuth: HelloAuth;
  private facts: HandshakeFacts | undefined;

  constructor(
    private readonly secret: AuthSecret,
    private readonly plane: AuthPlane,
    /** This side's own address, as its hello names it ('' when it does not listen). */
    private readonly ownAddress: string,
    /** The listener's address as dialled. */
    dialled: string,
  ) {
    this.helloAuth = { nonce: newNonce(), to: dialled };
  }

  /** True once the challenge was answered. */
  get answered(): boolean {
    return this.facts !== undefined;
  }

  /** The proof that answers the listener's challenge. */
  answer(listenerNonce: Uint8Array): Uint8Array {
    this.facts = { plane: this.plane, diallerNonce: this.helloAuth.nonce, listenerNonce, dialler: this.ownAddress, listener: this.helloAuth.to };
    return this.secret.prove('dialler', this.facts);
  }

  /** What is wrong with the listener's acceptance, which carries `proof`; undefined when it proved itself. */
  problemWith(proof: unknown): AuthProblem | undefined {
    if (!this.facts) return { code: 'AUTHENTICATION_REQUIRED', reason: 'it accepted the connection without a challenge, so it never proved it knows the secret' };
    if (proof === undefined) return { code: 'AUTHENTICATION_REQUIRED', reason: 'its acceptance carries no proof' };
    if (!this.secret.verify('listener', this.facts, proof)) return { code: 'AUTHENTICATION_FAILED', reason: "its proof does not check out: it does not know this process's secret" };
    return undefined;
  }
}

export class ListenerAuth {
  /** This side's nonce: the challenge. */
  readonly nonce = newNonce();
  private readonly facts: HandshakeFacts;

  /**
   * @param ownAddress this side's address, which the dialler must have dialled (call `wrongAddress` first)
   * @param dialler the dialler's own address, as its hello names it
   */
  constructor(
    private readonly secret: AuthSecret,
    plane: AuthPlane,
    ownAddress: string,
    dialler: string,
    helloAuth: HelloAuth,
  ) {
    this.facts = { plane, diallerNonce: helloAuth.nonce, listenerNonce: this.nonce, dialler, listener: ownAddress };
  }

  /** The dialler's proof does not check out: the reason, else undefined. */
  problemWith(proof: unknown, dialler: string): AuthProblem | undefined {
    if (this.secret.verify('dialler', this.facts, proof)) return undefined;
    return { code: 'AUTHENTICATION_FAILED', reason: `the proof of ${dialler} does not check out: another secret, or a replayed or reflected proof` };
  }

  /** This side's proof, once the dialler's checked out. */
  proof(): Uint8Array {
    return this.secret.prove('listener', this.facts);
  }
}

/** The hello named another address than this side's: the proofs bind it, so they could not check out. */
export function wrongAddress(helloAuth: HelloAuth, ownAddress: string, dialler: string): AuthProblem | undefined {
  if (helloAuth.to === ownAddress) return undefined;
  return {
    code: 'AUTHENTICATION_ADDRESS_MISMATCH',
    reason: `${dialler} dialled ${helloAuth.to}, but this process is ${ownAddress}; with authentication, dial the address a process listens as`,
  };
}
