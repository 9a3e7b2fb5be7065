/**
 * A URL as it may appear in a log line or error: origin and path only. Queries and fragments are
 * dropped because sign-on flows carry codes, tickets and session keys there.
 */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol}…`;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
