/** `value` as one of `known`, null for null, or a TypeError naming `what` and the choices. */
export function checkChoice<T extends string>(what: string, known: readonly T[], value: string | null): T | null {
  if (value === null) return null;
  const found = known.find((candidate) => candidate === value);
  if (found === undefined) throw new TypeError(`unknown ${what}: ${JSON.stringify(value)} (one of ${known.join(', ')}, or null)`);
  return found;
}
