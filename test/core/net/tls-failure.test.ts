import { describe, expect, it } from 'vitest';
import { certificateProblem } from '../../../core/net/tls-failure.ts';

describe('a refused certificate, in words', () => {
  it("names the reason and keeps the code, from Node's and Chromium's errors alike", () => {
    expect(certificateProblem(Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))).toBe('it is self-signed: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(certificateProblem(Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))).toBe('it is for another host name: ERR_TLS_CERT_ALTNAME_INVALID');
    expect(certificateProblem(Object.assign(new Error('x'), { code: 'ERR_CERT_AUTHORITY_INVALID' }))).toBe('it was issued by a CA this machine does not trust: ERR_CERT_AUTHORITY_INVALID');
    // Through a proxy, the certificate error is the cause of the proxy's.
    expect(certificateProblem(new Error('proxied', { cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }) }))).toBe('it has expired: CERT_HAS_EXPIRED');
  });

  it('is null for anything that is not about a certificate', () => {
    expect(certificateProblem(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(certificateProblem(new Error('x'))).toBeNull();
    expect(certificateProblem(null)).toBeNull();
  });
});
