// The shapes every authenticated handshake carries, on both planes (remoting.ts, data-plane.ts): a
// nonce from each side, and an HMAC-SHA256 proof from each (actors/remote/auth.ts makes and checks
// them). Both are raw bytes of a fixed length, so a handshake frame stays small.

/** Random bytes each side contributes per handshake. */
export const AUTH_NONCE_BYTES = 32;
/** An HMAC-SHA256. */
export const AUTH_PROOF_BYTES = 32;

export const isNonce = (value: unknown): value is Uint8Array => value instanceof Uint8Array && value.length === AUTH_NONCE_BYTES;
export const isProof = (value: unknown): value is Uint8Array => value instanceof Uint8Array && value.length === AUTH_PROOF_BYTES;

/** What a dialler's hello carries when it has a secret. */
export interface HelloAuth {
  /** The dialler's nonce. */
  readonly nonce: Uint8Array;
  /** The listener's address as the dialler dialled it: the proofs bind it, so the listener checks it is its own. */
  readonly to: string;
}
