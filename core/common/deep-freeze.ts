/** Freezes `value` and everything it holds, so that nothing can change it in place; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    // Frozen before its contents: a structure that holds itself is then not walked again.
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
