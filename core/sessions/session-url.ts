import type { Credential } from '../common/views.ts';

/**
 * The URL a request with the session goes to. Cookies and bearer tokens travel in the session's
 * headers, so the URL is `url` itself. A key credential (query mode, e.g. Content Catalyst's
 * `SessionKey`) has no header: it goes in the query parameter it arrived in on the landing URL
 * (the credential's name, which is the profile's `sessionParam`), form-encoded as a browser
 * would. A parameter of that name already in `url` is the caller's choice and is kept.
 *
 * The result holds a secret: print `url`, never the result.
 */
export function sessionUrl(url: URL, credential: Credential): URL {
  if (credential.kind !== 'key' || url.searchParams.has(credential.name)) return url;
  const pair = new URLSearchParams([[credential.name, credential.value]]).toString();
  const withKey = new URL(url);
  // Appended to the query as written: going through `searchParams` would re-encode the caller's own parameters.
  withKey.search = url.search === '' ? pair : `${url.search.slice(1)}&${pair}`;
  return withKey;
}
