import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller } from '../operations/contract.ts';

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

/** The Caller of a request; its signal aborts when the connection closes before the response is complete. */
export function callerOf(req: IncomingMessage, res: ServerResponse): Caller {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('The client closed the connection.'));
  });
  return { client: clientName(req), signal: controller.signal };
}
