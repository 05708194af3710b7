// open()/close() of the user functions a window adapter wraps (Flink's WrappingFunction): each is
// opened in order and closed in reverse; a wrapper is as rich as what it wraps.
import type { RichFunction, RuntimeContext } from '../../functions.ts';

export async function openAll(functions: readonly RichFunction[], context: RuntimeContext): Promise<void> {
  for (const fn of functions) await fn.open?.(context);
}

export async function closeAll(functions: readonly RichFunction[]): Promise<void> {
  for (let index = functions.length - 1; index >= 0; index--) await functions[index].close?.();
}
