// The distance between two records, for DeltaTrigger and DeltaEvictor (Flink's DeltaFunction).
import { WeirError } from '../../messages/errors.ts';
import { show } from './argument-checks.ts';

export interface DeltaFunction<T> {
  getDelta(oldDataPoint: T, newDataPoint: T): number;
}

export type DeltaFunctionLike<T> = ((oldDataPoint: T, newDataPoint: T) => number) | DeltaFunction<T>;

/** The delta function as a plain function, bound once at planning. */
export function deltaFunctionOf<T>(deltaFunction: DeltaFunctionLike<T>, owner: string): (oldDataPoint: T, newDataPoint: T) => number {
  if (typeof deltaFunction === 'function') return deltaFunction;
  if (typeof deltaFunction?.getDelta === 'function') return (oldDataPoint, newDataPoint) => deltaFunction.getDelta(oldDataPoint, newDataPoint);
  throw new WeirError('INVALID_FUNCTION', `${owner} needs a delta function (old, new) => number or an object with getDelta(); got ${show(deltaFunction)}`);
}

/** A finite threshold (a delta is compared with it). */
export function requireThreshold(threshold: number, owner: string): number {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new WeirError('INVALID_ARGUMENT', `${owner} needs a numeric threshold; got ${show(threshold)}`);
  return threshold;
}
