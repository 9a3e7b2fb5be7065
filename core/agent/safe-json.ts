import { refusal } from './http-errors.ts';

/** Deepest nesting of arrays and objects a request body may have. */
export const maxJsonDepth = 32;

// Keys that could reach an object's prototype if a handler ever merged the input into another object.
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The nesting depth of JSON text, found by one linear scan (strings skipped), so a body of ten
 * thousand `[` is refused before any recursive code sees it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** The first forbidden key anywhere in `value` (depth is already bounded), or null. */
function findForbiddenKey(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findForbiddenKey(item);
      if (found !== null) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (forbiddenKeys.has(key)) return key;
      const found = findForbiddenKey((value as Record<string, unknown>)[key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Parses a request body that must be a JSON object. Refuses, as 400s: bad JSON, nesting deeper
 * than {@link maxJsonDepth}, anything but an object at the top, and the keys `__proto__`,
 * `constructor` and `prototype` at any level. (JSON.parse makes `__proto__` an own property rather
 * than setting the prototype, but a later spread or merge could still act on it: refusing is simpler
 * than proving every consumer safe.) Messages never echo the body.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (jsonDepth(text) > maxJsonDepth) {
    throw refusal('bad_request', `The JSON body nests deeper than ${maxJsonDepth} levels.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refusal('bad_request', 'The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refusal('bad_request', 'The JSON body must be an object.');
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden !== null) {
    throw refusal('bad_request', `The JSON body may not contain the key "${forbidden}".`);
  }
  return value as Record<string, unknown>;
}
