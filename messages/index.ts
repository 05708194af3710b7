export * from './errors.ts';
export * from './codec.ts';
export * from './remoting.ts';
