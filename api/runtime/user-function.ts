// Turns what a user passed to an operator (a function, an object with the operator's method, or a
// class with it) into a factory of the object the operator calls. Checked once, at planning, so a
// wrong argument fails the job before it is submitted, naming the operator.
import { WeirError } from '../../messages/errors.ts';
import type { RichFunction } from '../functions.ts';

/** Makes the instance one subtask calls: a new one per call for a class or an object (see functions.ts); one shared wrapper for a plain function. */
export type UserFunctionFactory<F> = () => F;

/**
 * `method` is the operator's method ('map', 'filter', ...), or its methods (['map1', 'map2']) for a
 * function that must be an object or a class; `operator` describes the operator for the error. A
 * plain function becomes `{ [method]: fn }`, so an operator always calls `instance[method]`.
 */
export function userFunctionFactory<F extends RichFunction>(value: unknown, method: string | readonly string[], operator: string): UserFunctionFactory<F> {
  const methods = typeof method === 'string' ? [method] : method;
  if (typeof value === 'function') {
    if (isClass(value)) {
      const absent = methods.find((name) => typeof (value.prototype as Record<string, unknown>)[name] !== 'function');
      if (absent !== undefined) throw invalid(operator, methods, `class ${value.name || '(anonymous)'} has no ${absent}() method`);
      const UserClass = value as new () => F;
      return () => new UserClass();
    }
    if (methods.length > 1) throw invalid(operator, methods, 'a function');
    const wrapped = { [methods[0]]: value } as unknown as F;
    return () => wrapped;
  }
  if (typeof value === 'object' && value !== null) {
    const absent = methods.find((name) => typeof (value as Record<string, unknown>)[name] !== 'function');
    if (absent !== undefined) throw invalid(operator, methods, `an object without a ${absent}() method`);
    for (const hook of ['open', 'close', 'initializeState', 'snapshotState'] as const) {
      const member = (value as Record<string, unknown>)[hook];
      if (member !== undefined && typeof member !== 'function') throw invalid(operator, methods, `an object whose ${hook} is not a function`);
    }
    // A fresh object per subtask whose prototype is the user's: `this.x = ...` in open() stays per subtask.
    const prototype = value as F;
    return () => Object.create(prototype) as F;
  }
  throw invalid(operator, methods, value === null ? 'null' : typeof value);
}

function isClass(value: Function): boolean {
  return Function.prototype.toString.call(value).startsWith('class');
}

function invalid(operator: string, methods: readonly string[], got: string): WeirError {
  if (methods.length === 1) {
    return new WeirError('INVALID_FUNCTION', `${operator} needs a function, an object with a ${methods[0]}() method or a class with one; got ${got}`);
  }
  const names = methods.map((name) => `${name}()`).join(' and ');
  return new WeirError('INVALID_FUNCTION', `${operator} needs an object with ${names} methods or a class with them; got ${got}`);
}
