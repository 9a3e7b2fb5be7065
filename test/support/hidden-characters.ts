/**
 * Every character a person cannot see or that steers a terminal: the C0 and C1 controls, DEL, every
 * Unicode format character (general category Cf: bidi embeddings, overrides, isolates and marks,
 * zero-width characters, the soft hyphen, tags…) and the line and paragraph separators. Built by
 * scanning all of Unicode, so the tests cover what a future Unicode version adds as well.
 */
export function hiddenCharacters(): string[] {
  const found: string[] = [];
  const pattern = /^[\p{Cc}\p{Cf}\u2028\u2029]$/u;
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const character = String.fromCodePoint(code);
    if (pattern.test(character)) found.push(character);
  }
  return found;
}

/** Hostile texts built from them: an escape sequence, a bidi trick, invisible padding, a forged line. */
export const hostileTexts: readonly string[] = [
  'ada\u001b[2J\u001b[31mroot',
  'studio\u202eexe.gnp',
  'ada\u200b\u200d\ufeff',
  'ada\u2028root logged in',
  'ada\r\nlatchkey: all sessions revoked',
  'ada\u0085\u009b31m',
];
