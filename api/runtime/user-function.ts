// Turns what a user passed to an operator (a function, an object with the operator's method, or a
// class with it) into a factory of the object the operator calls. Checked once, at planning, so a
// wrong argument fails the job before it is submitted, naming the operator.
import { WeirError } from '../../messages/errors.ts';
import type { RichFunction } from '../functions.ts';

/** Makes the instance one subtask calls: a new one per call for a class, the same one otherwise. */
export type UserFunctionFactory<F> = () => F;

/**
 * `method` is the operator's method ('map', 'filter', ...); `operator` describes the operator for the
 * error. A plain function becomes `{ [method]: fn }`, so an operator always calls `instance[method]`.
 */
export function userFunctionFactory<F extends RichFunction>(value: unknown, method: string, operator: string): UserFunctionFactory<F> {
  if (typeof value === 'function') {
    if (isClass(value)) {
      if (typeof (value.prototype as Record<string, unknown>)[method] !== 'function') {
        throw invalid(operator, method, `class ${value.name || '(anonymous)'} has no ${method}() method`);
      }
      const UserClass = value as new () => F;
      return () => new UserClass();
    }
    const wrapped = { [method]: value } as unknown as F;
    return () => wrapped;
  }
  if (typeof value === 'object' && value !== null) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw invalid(operator, method, `an object without a ${method}() method`);
    }
    for (const hook of ['open', 'close'] as const) {
      const member = (value as Record<string, unknown>)[hook];
      if (member !== undefined && typeof member !== 'function') throw invalid(operator, method, `an object whose ${hook} is not a function`);
    }
    const instance = value as F;
    return () => instance;
  }
  throw invalid(operator, method, value === null ? 'null' : typeof value);
}

function isClass(value: Function): boolean {
  return Function.prototype.toString.call(value).startsWith('class');
}

function invalid(operator: string, method: string, got: string): WeirError {
  return new WeirError('INVALID_FUNCTION', `${operator} needs a function, an object with a ${method}() method or a class with one; got ${got}`);
}
