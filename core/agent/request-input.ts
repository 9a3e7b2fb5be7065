import type { IncomingMessage } from 'node:http';
import type * as z from 'zod/mini';
import type { OperationName } from '../common/operations.ts';
import { operationInputs } from '../operations/inputs.ts';
import { refusal } from './http-errors.ts';
import type { LatchkeyError } from '../common/errors.ts';
import { parseJsonObject } from './safe-json.ts';

type Issue = z.core.$ZodIssue;

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** True for `application/json`, with no charset or UTF-8 (RFC 8259 section 8.1: JSON is UTF-8). */
function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((param) => !param.startsWith('charset=') || /^charset="?utf-8"?$/.test(param));
}

/**
 * Reads a body of at most `maxBytes`. A declared length over the limit is refused before a byte is
 * read; a chunked body is counted as it arrives and refused at the first byte past the limit
 * (the caller then closes the connection, so the rest is never read).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): LatchkeyError => refusal('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      action();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(() => reject(tooLarge()));
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.once('end', () => settle(() => resolve(Buffer.concat(chunks))));
    // An incoming request fails only with its connection ('aborted'): the caller went away, which
    // is its doing, not the agent's.
    const closedEarly = (): void => settle(() => reject(refusal('bad_request', 'The connection closed before the body arrived.')));
    req.once('error', closedEarly);
    req.once('close', closedEarly);
  });
}

/** Query parameters as fields. A repeated key is refused: which copy counts would be a guess. */
export function queryFields(query: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (forbiddenKeys.has(key)) throw refusal('bad_request', `The query may not contain the parameter "${key}".`);
    if (Object.hasOwn(fields, key)) throw refusal('bad_request', `The query parameter ${safeName(key)} is given more than once.`);
    fields[key] = value;
  }
  return fields;
}

/**
 * The raw input fields of a request: the query for GET, the JSON body otherwise (an empty body is
 * `{}`), with the path's `id` added. The fields are not validated yet. `beforeBody` runs once the
 * request has passed every check that needs no body, just before the body is read.
 */
export async function requestFields(
  req: IncomingMessage,
  query: string,
  id: string | null,
  maxBodyBytes: number,
  beforeBody: () => void = () => undefined,
): Promise<Record<string, unknown>> {
  let fields: Record<string, unknown>;
  if (req.method === 'GET') {
    if (hasBody(req)) throw refusal('bad_request', 'A GET request takes its input in the query, not a body.');
    fields = queryFields(query);
  } else {
    if (query !== '') throw refusal('bad_request', `A ${req.method} request takes its input in a JSON body, not the query.`);
    if (hasBody(req) && !isJsonContentType(req.headers['content-type'])) {
      throw refusal('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
    }
    if (hasBody(req)) beforeBody();
    const bytes = await readBody(req, maxBodyBytes);
    if (bytes.length === 0) {
      fields = {};
    } else {
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch {
        throw refusal('bad_request', 'The request body is not valid UTF-8.');
      }
      fields = parseJsonObject(text);
    }
  }
  if (id === null) return fields;
  if (Object.hasOwn(fields, 'id')) throw refusal('bad_request', 'The field "id" comes from the path; do not send it again.');
  return { ...fields, id };
}

/** A field name fit to quote in a message: printable ASCII and short, or a placeholder. */
function safeName(name: string): string {
  return /^[\x21-\x7e]{1,40}$/.test(name) ? `"${name}"` : '(a field with an unusual name)';
}

/** A message about one validation issue that names the field but never quotes the value sent. */
function describeIssue(issue: Issue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, 5).map(safeName).join(', ')}.`;
  }
  const where = issue.path.length === 0 ? 'The input' : `Field ${issue.path.map((part) => safeName(String(part))).join('.')}`;
  // zod's default messages state the expectation ("expected number"), never the input.
  return `${where}: ${issue.message}`;
}

/** Validates fields with the operation's schema from the contract; a failure is a 400 naming the field. */
export function parseInput(name: OperationName, fields: Record<string, unknown>): unknown {
  const result = operationInputs[name].safeParse(fields);
  if (result.success) return result.data;
  throw refusal('bad_request', describeIssue(result.error.issues[0] as Issue));
}
