import { describe, expect, it } from 'vitest';
import { classifyNetError } from '../../../core/browser/net-errors.ts';

describe('classifyNetError', () => {
  it.each([
    ['net::ERR_CERT_AUTHORITY_INVALID', 'tls'],
    ['net::ERR_CERT_COMMON_NAME_INVALID', 'tls'],
    ['net::ERR_CERT_DATE_INVALID', 'tls'],
    ['net::ERR_SSL_PROTOCOL_ERROR', 'tls'],
    ['net::ERR_BAD_SSL_CLIENT_AUTH_CERT', 'tls'],
    ['net::ERR_CONNECTION_REFUSED', 'network'],
    ['net::ERR_CONNECTION_RESET', 'network'],
    ['net::ERR_NAME_NOT_RESOLVED', 'network'],
    ['net::ERR_INTERNET_DISCONNECTED', 'network'],
    ['net::ERR_EMPTY_RESPONSE', 'network'],
    ['net::ERR_TIMED_OUT', 'network'],
    ['net::ERR_TOO_MANY_REDIRECTS', 'too_many_redirects'],
    ['net::ERR_ABORTED', 'aborted'],
    ['net::ERR_INVALID_AUTH_CREDENTIALS', 'auth'],
    ['net::ERR_MISSING_AUTH_CREDENTIALS', 'auth'],
    ['net::ERR_PROXY_AUTH_UNSUPPORTED', 'network'],
    ['net::ERR_BLOCKED_BY_CLIENT', 'other'],
    ['something else', 'other'],
  ] as const)('sorts %s as %s', (text, kind) => {
    expect(classifyNetError(text)).toBe(kind);
  });
});
