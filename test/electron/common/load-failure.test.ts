import { describe, expect, it } from 'vitest';
import { classifyLoadFailure } from '../../../electron/common/load-failure.ts';

describe('classifyLoadFailure', () => {
  // Codes and names from Chromium's net/base/net_error_list.h, as Electron's did-fail-load reports them.
  const cases: { code: number; description: string; failure: string; detail: string }[] = [
    { code: -202, description: 'ERR_CERT_AUTHORITY_INVALID', failure: 'tls', detail: 'net::ERR_CERT_AUTHORITY_INVALID' },
    { code: -200, description: 'ERR_CERT_COMMON_NAME_INVALID', failure: 'tls', detail: 'net::ERR_CERT_COMMON_NAME_INVALID' },
    { code: -107, description: 'ERR_SSL_PROTOCOL_ERROR', failure: 'tls', detail: 'net::ERR_SSL_PROTOCOL_ERROR' },
    { code: -102, description: 'ERR_CONNECTION_REFUSED', failure: 'network', detail: 'net::ERR_CONNECTION_REFUSED' },
    { code: -105, description: 'ERR_NAME_NOT_RESOLVED', failure: 'network', detail: 'net::ERR_NAME_NOT_RESOLVED' },
    { code: -106, description: 'ERR_INTERNET_DISCONNECTED', failure: 'network', detail: 'net::ERR_INTERNET_DISCONNECTED' },
    { code: -310, description: 'ERR_TOO_MANY_REDIRECTS', failure: 'too_many_redirects', detail: 'net::ERR_TOO_MANY_REDIRECTS' },
    { code: -3, description: 'ERR_ABORTED', failure: 'aborted', detail: 'net::ERR_ABORTED' },
    { code: -3, description: '', failure: 'aborted', detail: 'net::ERR_ABORTED' },
    { code: -301, description: 'ERR_DISALLOWED_URL_SCHEME', failure: 'other', detail: 'net::ERR_DISALLOWED_URL_SCHEME' },
    { code: -999, description: 'something unexpected', failure: 'other', detail: 'something unexpected' },
  ];
  for (const { code, description, failure, detail } of cases) {
    it(`sorts ${description || `code ${code}`} as ${failure}`, () => {
      expect(classifyLoadFailure(code, description)).toEqual({ failure, detail });
    });
  }
});
