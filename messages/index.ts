export * from './errors.ts';
export * from './codec.ts';
export * from './remoting.ts';
export * from './data-plane.ts';
export type { ActorRef } from './actor-ref.ts';
export * from './ids.ts';
export * from './addresses.ts';
