import type { SecureContext } from 'node:tls';

let context: SecureContext | null | undefined;

/**
 * The certificates the engine's HTTPS calls trust: Node's own (its bundled roots and
 * NODE_EXTRA_CA_CERTS) and the system's store (the OS's trust settings on Windows and macOS,
 * OpenSSL's files on Linux, SSL_CERT_FILE and SSL_CERT_DIR included), as a browser trusts the
 * system's: a company's private CA installed the usual way works in the window and in the engine
 * alike. Made once per process (reading the system store takes tens of milliseconds), for https
 * calls only. Undefined where Node cannot read the system store (before 22.15): its defaults apply.
 */
export function trustedContext(): SecureContext | undefined {
  if (context !== undefined) return context ?? undefined;
  const tls = process.getBuiltinModule('node:tls') as typeof import('node:tls');
  if (typeof tls.getCACertificates !== 'function') {
    context = null;
    return undefined;
  }
  const ca = [...new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')])];
  context = tls.createSecureContext({ ca });
  return context;
}
