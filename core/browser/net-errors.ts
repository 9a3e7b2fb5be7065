import type { NavigationFailure } from '../login/login-window.ts';

// Chromium's net error names (net/base/net_error_list.h): certificate errors share the
// ERR_CERT_ prefix and the SSL_ family; everything that means "could not reach or talk to the
// server" counts as a network failure.
const tlsErrors = /^net::ERR_(CERT_|SSL_|BAD_SSL_|CT_|PINNED_KEY)/;
const networkErrors =
  /^net::ERR_(CONNECTION_|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_|INTERNET_DISCONNECTED|NETWORK_|TIMED_OUT|EMPTY_RESPONSE|SOCKET_|PROXY_|TUNNEL_|INVALID_HTTP_RESPONSE|HTTP2_|QUIC_|DNS_)/;

/** Sorts a Chromium net error text (`net::ERR_…`) into the failure kinds the login flow tells apart. */
export function classifyNetError(errorText: string): NavigationFailure {
  if (errorText === 'net::ERR_TOO_MANY_REDIRECTS') return 'too_many_redirects';
  if (errorText === 'net::ERR_ABORTED') return 'aborted';
  // A server's request for credentials that the browser could not answer: no prompt
  // could be shown (a hidden window) or the person dismissed it.
  if (/^net::ERR_(INVALID_AUTH_CREDENTIALS|MISSING_AUTH_CREDENTIALS)/.test(errorText)) return 'auth';
  if (tlsErrors.test(errorText)) return 'tls';
  if (networkErrors.test(errorText)) return 'network';
  return 'other';
}
