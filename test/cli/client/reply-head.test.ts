import { describe, expect, it } from 'vitest';
import { readReplyHead } from '../../../cli/client/reply-head.ts';

/** A reply head from its lines, with the blank line that ends it. */
function head(...lines: string[]): string {
  return lines.join('\r\n') + '\r\n\r\n';
}

function read(text: string): ReturnType<typeof readReplyHead> {
  return readReplyHead(Buffer.from(text, 'latin1'));
}

describe('readReplyHead', () => {
  it('is incomplete until the blank line has arrived', () => {
    const whole = head('HTTP/1.1 200 OK', 'Content-Length: 2');
    for (let end = 0; end < whole.length; end++) {
      expect({ end, read: read(whole.slice(0, end)) }).toEqual({ end, read: 'incomplete' });
    }
    expect(read(whole)).toEqual({ status: 200, contentLength: 2, bodyStart: whole.length });
  });

  it('reads the status, the Content-Length and where the body starts', () => {
    const cases = [
      {
        text: head('HTTP/1.1 200 OK', 'Cache-Control: no-store', 'Content-Type: application/json; charset=utf-8', 'Content-Length: 17'),
        expected: { status: 200, contentLength: 17, bodyStart: 111 },
      },
      { text: head('HTTP/1.0 404 Not Found', 'Content-Length: 0'), expected: { status: 404, contentLength: 0, bodyStart: 45 } },
      { text: head('HTTP/1.1 204'), expected: { status: 204, contentLength: null, bodyStart: 16 } },
      { text: head('HTTP/1.1 500 '), expected: { status: 500, contentLength: null, bodyStart: 17 } },
      { text: head('HTTP/1.1 401 Unauthorized', 'WWW-Authenticate: Bearer'), expected: { status: 401, contentLength: null, bodyStart: 55 } },
    ];
    for (const { text, expected } of cases) {
      expect({ text, read: read(text) }).toEqual({ text, read: expected });
      expect(expected.bodyStart).toBe(text.length);
    }
  });

  it('matches header names in any case', () => {
    for (const name of ['Content-Length', 'content-length', 'CONTENT-LENGTH', 'cOnTeNt-LeNgTh']) {
      const text = head('HTTP/1.1 200 OK', `${name}: 42`);
      expect({ name, read: read(text) }).toEqual({ name, read: { status: 200, contentLength: 42, bodyStart: text.length } });
    }
  });

  it('ignores spaces and tabs around a value', () => {
    for (const field of ['Content-Length:42', 'Content-Length: 42', 'Content-Length:  42  ', 'Content-Length:\t42\t', 'Content-Length: \t42 \t']) {
      const text = head('HTTP/1.1 200 OK', field);
      expect({ field, read: read(text) }).toEqual({ field, read: { status: 200, contentLength: 42, bodyStart: text.length } });
    }
  });

  it('points at a body that arrived in the same bytes, even one that holds a blank line itself', () => {
    const text = head('HTTP/1.1 200 OK', 'Content-Length: 17');
    const body = '{"a":"\r\n\r\n","b":1}';
    const bytes = Buffer.from(text + body, 'utf8');
    expect(readReplyHead(bytes)).toEqual({ status: 200, contentLength: 17, bodyStart: text.length });
    expect(bytes.subarray(text.length).toString('utf8')).toBe(body);
  });

  it('declares no length for a chunked reply, even one that also has a Content-Length (RFC 9112 section 6.3)', () => {
    const cases = [
      head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'),
      head('HTTP/1.1 200 OK', 'transfer-encoding: gzip, chunked'),
      head('HTTP/1.1 200 OK', 'Content-Length: 10', 'Transfer-Encoding: chunked'),
      head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked', 'Content-Length: 10'),
    ];
    for (const text of cases) {
      expect({ text, read: read(text) }).toEqual({ text, read: { status: 200, contentLength: null, bodyStart: text.length } });
    }
  });

  it('refuses a duplicate or non-numeric Content-Length: the body would have no certain end', () => {
    const values = [
      ['5', '5'],
      ['5', '6'],
      ['abc'],
      [''],
      ['-1'],
      ['+5'],
      ['1.5'],
      ['0x10'],
      ['5, 5'],
      ['5 5'],
      ['1e3'],
      ['1234567890123456'],
    ];
    for (const lengths of values) {
      const text = head('HTTP/1.1 200 OK', ...lengths.map((value) => `Content-Length: ${value}`));
      expect({ lengths, read: read(text) }).toEqual({ lengths, read: 'invalid' });
    }
    const longest = head('HTTP/1.1 200 OK', 'Content-Length: 123456789012345');
    expect(read(longest)).toEqual({ status: 200, contentLength: 123456789012345, bodyStart: longest.length });
  });

  it('refuses a status line that is not HTTP/1.x', () => {
    const lines = [
      'SSH-2.0-OpenSSH_9.6',
      '<!doctype html>',
      '{"ok":true}',
      'HTTP/2 200',
      'HTTP/1.2 200 OK',
      'http/1.1 200 OK',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 099 Nope',
      'HTTP/1.1 600 Nope',
      'HTTP/1.1  200 OK',
      'HTTP/1.1 200OK',
      ' HTTP/1.1 200 OK',
      '',
    ];
    for (const line of lines) {
      expect({ line, read: read(head(line, 'Content-Length: 0')) }).toEqual({ line, read: 'invalid' });
    }
  });

  it('refuses a malformed header line', () => {
    const fields = [
      'Content-Length 5',
      'Content-Length : 5',
      ' Content-Length: 5',
      '\tX-Folded: continued',
      'Bad Name: x',
      ': no name',
      'X-Latchkey(1): x',
    ];
    for (const field of fields) {
      expect({ field, read: read(head('HTTP/1.1 200 OK', 'Content-Length: 5', field)) }).toEqual({ field, read: 'invalid' });
    }
  });

  it('refuses a head over 16 KiB, with or without its blank line', () => {
    const filler = `X-Filler: ${'a'.repeat(16 * 1024)}`;
    expect(read(`HTTP/1.1 200 OK\r\n${filler}`)).toBe('invalid');
    expect(read(`HTTP/1.1 200 OK\r\n${filler}\r\n`)).toBe('invalid');
    expect(read(head('HTTP/1.1 200 OK', filler, 'Content-Length: 2'))).toBe('invalid');
    expect(read('x'.repeat(64 * 1024))).toBe('invalid');
  });

  it('takes a head of exactly 16 KiB, whatever pieces its blank line arrives in', () => {
    const start = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Filler: ';
    const whole = head(start + 'a'.repeat(16 * 1024 - start.length));
    expect(whole.length).toBe(16 * 1024 + 4);
    for (let end = 16 * 1024 - 2; end < whole.length; end++) {
      expect({ end, read: read(whole.slice(0, end)) }).toEqual({ end, read: 'incomplete' });
    }
    expect(read(whole)).toEqual({ status: 200, contentLength: 2, bodyStart: whole.length });
    expect(read(head(start + 'a'.repeat(16 * 1024 - start.length + 1)))).toBe('invalid');
  });
});
