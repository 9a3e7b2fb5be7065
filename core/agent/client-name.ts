import type { IncomingMessage } from 'node:http';

const maxClientNameLength = 64;

/**
 * The client's self-chosen name from `X-Latchkey-Client`, for the activity record: trimmed,
 * printable ASCII, at most 64 characters; anything else (or none) is null. It is a label, not an
 * identity: any local program can claim any name.
 */
export function clientName(req: IncomingMessage): string | null {
  const raw = req.headers['x-latchkey-client'];
  if (typeof raw !== 'string') return null;
  const name = raw.trim();
  return name.length > 0 && name.length <= maxClientNameLength && /^[\x20-\x7e]+$/.test(name) ? name : null;
}
