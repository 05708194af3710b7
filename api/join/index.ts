// Window joins and coGroups (Flink's JoinedStreams and CoGroupedStreams), started by
// DataStream.join() and DataStream.coGroup().
export { JoinedStreams, type JoinWithWindow } from './joined-streams.ts';
export { CoGroupedStreams, type CoGroupWithWindow } from './co-grouped-streams.ts';
export type { EqualTo, TwoInputOperation, TwoStreams, Where, WithWindowOf } from './key-steps.ts';
export type { WithWindow } from './with-window.ts';
export type { TaggedUnion } from './tagged-union.ts';
