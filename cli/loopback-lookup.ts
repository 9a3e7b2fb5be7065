import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** True for `localhost` and every `*.localhost` name (RFC 6761 section 6.3). */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * A `dns.lookup` for node:http that answers loopback for `localhost` and `*.localhost` itself, as
 * RFC 6761 says and browsers do; the system resolver often knows only `localhost`. Other names go
 * to the system resolver. The real name stays in the URL, the Host header and TLS's SNI.
 */
export function loopbackLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (!isLocalhostName(hostname)) {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) callback(error, []);
      else if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
    return;
  }
  const loopback: LookupAddress[] = [
    { address: '127.0.0.1', family: 4 },
    { address: '::1', family: 6 },
  ];
  const wanted = loopback.filter((address) => !options.family || options.family === address.family);
  if (options.all === true) callback(null, wanted);
  else callback(null, wanted[0]?.address ?? '127.0.0.1', wanted[0]?.family ?? 4);
}
