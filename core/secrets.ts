// Defence in depth (docs/ARCHITECTURE.md, "Security model"): code never logs or prints a secret on
// purpose, and every secret Latchkey learns is registered here, so a mistake elsewhere still
// cannot write one to a log line or an error message.

const knownSecrets = new Set<string>();
const minimumSecretLength = 6;

/** Registers a value (a session cookie, a token, a key) that must never appear in any log line or message. */
export function registerSecret(value: string): void {
  if (value.length >= minimumSecretLength) knownSecrets.add(value);
}

/** True when `text` holds a registered secret, or any URL-encoded form of one. */
export function containsSecret(text: string): boolean {
  for (const secret of knownSecrets) {
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) return true;
  }
  return false;
}

/** Replaces every registered secret in `text`, and any URL-encoded form of one, with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (out.includes(form)) out = out.split(form).join('[redacted]');
    }
  }
  return out;
}
