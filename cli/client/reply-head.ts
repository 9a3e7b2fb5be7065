/** The status line and the one header a client of the agent needs from an HTTP/1.1 reply. */
export interface ReplyHead {
  status: number;
  /** The declared body length, or null when the reply declares none (or chunked transfer). */
  contentLength: number | null;
  /** Where the body starts in the bytes read. */
  bodyStart: number;
}

// Node's own servers refuse request heads over 16 KiB by default; an agent reply head is some 200 bytes.
const maxHeadBytes = 16 * 1024;
const statusLine = /^HTTP\/1\.[01] ([1-5]\d\d)(?: |$)/;
const headerLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;

/**
 * Reads the head of an HTTP/1.1 reply from the bytes received so far: `incomplete` until the blank
 * line has arrived, `invalid` when the bytes are not an HTTP/1.1 reply head (or a duplicate or
 * malformed Content-Length makes the body's end ambiguous, RFC 9112 section 6.3).
 */
export function readReplyHead(bytes: Buffer): ReplyHead | 'incomplete' | 'invalid' {
  const end = bytes.indexOf('\r\n\r\n');
  // Invalid only once a blank line ending within the limit would have arrived whole: a head of
  // exactly the limit whose blank line is still in flight is incomplete, however the bytes split.
  if (end === -1) return bytes.length >= maxHeadBytes + 4 ? 'invalid' : 'incomplete';
  if (end > maxHeadBytes) return 'invalid';
  const [first = '', ...fields] = bytes.toString('latin1', 0, end).split('\r\n');
  const status = statusLine.exec(first);
  if (status === null) return 'invalid';
  let contentLength: number | null = null;
  let chunked = false;
  for (const field of fields) {
    const header = headerLine.exec(field);
    if (header === null) return 'invalid';
    const name = header[1]!.toLowerCase();
    const value = header[2]!;
    if (name === 'content-length') {
      if (contentLength !== null || !/^\d{1,15}$/.test(value)) return 'invalid';
      contentLength = Number(value);
    } else if (name === 'transfer-encoding') {
      chunked = true;
    }
  }
  return { status: Number(status[1]), contentLength: chunked ? null : contentLength, bodyStart: end + 4 };
}
