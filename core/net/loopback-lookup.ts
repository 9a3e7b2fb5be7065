import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** True for `localhost` and every `*.localhost` name (RFC 6761 section 6.3: always loopback). */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * A `dns.lookup` for Node's HTTP clients that answers `*.localhost` with 127.0.0.1 as browsers do,
 * and asks the system for every other name. Many resolvers know only `localhost` itself, so
 * without this Node could not reach a site that Chromium reaches at `studio.localhost`.
 */
export function loopbackAwareLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (!isLocalhostName(hostname)) {
    systemLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) callback(error, []);
      else if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
    return;
  }
  if (options.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}
