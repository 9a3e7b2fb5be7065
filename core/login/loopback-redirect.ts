import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';

/** The one-shot listener that catches an authorization response in the person's own browser (RFC 8252 section 7.3). */
export interface LoopbackRedirect {
  /** The redirect URI to send, with the port actually listened on. */
  redirectUri: string;
  /** The callback URL of the first request on the redirect path that carries this login's state. */
  callback: Promise<string>;
  /** Stops listening; a later callback finds nothing there. */
  close(): Promise<void>;
}

function page(title: string, text: string): string {
  // Fixed words only: nothing from the request is ever shown back.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family: system-ui, sans-serif; margin: 3rem;"><h1>${title}</h1><p>${text}</p></body></html>`;
}

function answer(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    // A page of our own with no script, style or image from anywhere, never cached, and whose
    // address (it carries the code) is never sent on as a referrer.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(page(title, text));
}

/**
 * Listens on the loopback address of `redirectUri` (its port when it names one, else one the OS
 * picks) for the authorization response of one login. Only a GET of the redirect path, with the
 * exact Host of the redirect URI and this login's `state`, is taken, and only once: another path
 * is 404, another state 400 (the login goes on waiting, so a stray or forged request cannot end
 * it), anything after the first 410, and the listener closes as soon as it has its answer.
 */
export async function listenForRedirect(options: { redirectUri: string; state: string; logger: Logger }): Promise<LoopbackRedirect> {
  const registered = new URL(options.redirectUri);
  // RFC 8252 section 8.3: the loopback IP literal, not "localhost", which may resolve elsewhere.
  const address = registered.hostname === '[::1]' ? '::1' : '127.0.0.1';
  const hostName = address === '::1' ? '[::1]' : '127.0.0.1';
  let taken = false;
  let resolveCallback!: (url: string) => void;
  const callback = new Promise<string>((resolve) => {
    resolveCallback = resolve;
  });
  let redirectUri = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', redirectUri);
    if (req.headers.host !== new URL(redirectUri).host) return answer(res, 400, 'Wrong address', 'This page answers only on its own address.');
    if (req.method !== 'GET' || target.pathname !== registered.pathname) return answer(res, 404, 'Not found', 'Latchkey is waiting for a sign-in answer at another address.');
    if (taken) return answer(res, 410, 'Already signed in', 'This sign-in was finished already. You may close this tab.');
    if (target.searchParams.get('state') !== options.state) {
      options.logger.warn('a request reached the login redirect listener without this login\'s state; refused', {});
      return answer(res, 400, 'Not this sign-in', 'This answer is not for the sign-in Latchkey is waiting for.');
    }
    taken = true;
    const failed = target.searchParams.has('error');
    answer(res, 200, failed ? 'Sign-in not finished' : 'Signed in', failed ? 'The identity provider did not sign you in. Return to Latchkey to see why.' : 'Latchkey has your sign-in. You may close this tab.');
    resolveCallback(target.href);
    server.close();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port: registered.port === '' ? 0 : Number(registered.port) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const uri = new URL(options.redirectUri);
  uri.hostname = hostName;
  uri.port = String(port);
  redirectUri = uri.href;
  return {
    redirectUri,
    callback,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
