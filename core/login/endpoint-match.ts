import { sameOrigin } from './landing.ts';

/**
 * True when `candidate` is exactly at `endpoint`: the same scheme, host and port, and the same
 * path, whatever the query and fragment. Both are parsed as the browser parses them (by
 * landing.ts's rules: http(s) only, no credentials, no raw whitespace); no string prefix tests,
 * so `https://rp.example.com.evil.com/cb` or `https://evil.com/?r=https://rp.example.com/cb` never match.
 */
export function isAtEndpoint(candidate: string, endpoint: string): boolean {
  if (!sameOrigin(candidate, endpoint)) return false;
  return new URL(candidate).pathname === new URL(endpoint).pathname;
}
