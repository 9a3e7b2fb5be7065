// What a refused certificate means, in words for a person: OpenSSL's verify codes as Node reports
// them on the error (`error.code`), Node's own name check, and Chromium's net errors.
const reasons: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a CA this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it was issued by a CA this machine does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'it was issued by a CA this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it was issued by a CA this machine does not trust, or the server sends an incomplete chain',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (is the clock right?)',
  CERT_REVOKED: 'it was revoked',
  CERT_SIGNATURE_FAILURE: 'its signature is wrong',
  CERT_UNTRUSTED: 'it is not trusted for this purpose',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another host name',
  HOSTNAME_MISMATCH: 'it is for another host name',
  // Chromium's names, from the desktop app's calls on Electron's network stack.
  ERR_CERT_AUTHORITY_INVALID: 'it was issued by a CA this machine does not trust',
  ERR_CERT_DATE_INVALID: 'it has expired or is not valid yet (is the clock right?)',
  ERR_CERT_COMMON_NAME_INVALID: 'it is for another host name',
  ERR_CERT_REVOKED: 'it was revoked',
  ERR_CERT_INVALID: 'it is malformed',
};

/** Why a call's certificate was refused, as a short phrase with its code, or null when the failure is not about a certificate. */
export function certificateProblem(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? (error as { cause?: NodeJS.ErrnoException } | null)?.cause?.code;
  if (code === undefined) return null;
  const reason = reasons[code];
  return reason === undefined ? null : `${reason}: ${code}`;
}
