import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { checkPassword, findAccount, labAccounts, type LabAccount } from './accounts.ts';
import { readForm } from './http-input.ts';
import { idpErrorPage, loginPage, otpPage } from './idp-pages.ts';

/** How the identity provider signs people in right now; read on every request so controls apply at once. */
export interface SignInSettings {
  /** Sign in as this account with no page at all (integrated Windows authentication), or null for the form. */
  autoLogin: string | null;
  /** Ask for a one-time code after the password. */
  otp: boolean;
  /** Sign in through HTTP Basic authentication (RFC 7617) instead of the form, as an IdP page behind a Basic prompt. */
  basicAuth: boolean;
  /**
   * Sign in through integrated Windows authentication (SPNEGO, RFC 4559) instead of the form, as
   * an IdP page behind `WWW-Authenticate: Negotiate`: the verifier judges each token; null: off.
   */
  negotiate: NegotiateVerifier | null;
}

/**
 * Judges the token of an `Authorization: Negotiate` header (base64, as sent) and resolves with the
 * lab login of the person it proves, or null when it proves no one. The lab holds no Kerberos of
 * its own: a test hands it a real acceptor (negotiate-verifier.ts, with a KDC's keytab).
 */
export type NegotiateVerifier = (token: string) => Promise<string | null>;

/** The lab account and password of an `Authorization: Basic` header, when they are right. */
function basicAccount(header: string | undefined): LabAccount | undefined {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
}

/** The lab account an `Authorization: Negotiate` header proves, when the verifier accepts its token. */
async function negotiateAccount(header: string | undefined, verify: NegotiateVerifier): Promise<LabAccount | undefined> {
  const token = /^Negotiate\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (token === undefined) return undefined;
  const login = await verify(token);
  return login === null ? undefined : findAccount(login);
}

/** Serves `/interaction/<uid>[/login|/otp]`; answers false for any other path so the caller delegates it to oidc-provider. */
export type InteractionHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const interactionPath = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|otp))?$/;

/** Builds the handler of the lab's own sign-in pages for `provider`. */
export function createInteractionHandler(provider: Provider, settings: () => SignInSettings): InteractionHandler {
  // Interactions that passed the password step and wait for their one-time code, by uid.
  const awaitingOtp = new Map<string, LabAccount>();

  const sendHtml = (res: ServerResponse, status: number, html: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };

  const finish = async (req: IncomingMessage, res: ServerResponse, uid: string, account: LabAccount, amr: string[]): Promise<void> => {
    awaitingOtp.delete(uid);
    await provider.interactionFinished(req, res, { login: { accountId: account.login, amr } }, { mergeWithLastSubmission: false });
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://idp.localhost');
    const match = interactionPath.exec(url.pathname);
    if (match === null) return false;
    const uid = match[1] ?? '';
    const step = match[2] ?? null;
    const loginAction = `/interaction/${uid}/login`;
    const otpAction = `/interaction/${uid}/otp`;

    let prompt: string;
    try {
      const details = await provider.interactionDetails(req, res);
      // The interaction cookie names one interaction; a URL naming another is a stale tab.
      if (details.uid !== uid) throw new errors.SessionNotFound('interaction uid does not match its cookie');
      prompt = details.prompt.name;
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      sendHtml(res, 400, idpErrorPage('Sign-in expired', 'This sign-in is no longer valid. Start again from the site.'));
      return true;
    }
    // loadExistingGrant grants the lab's client everything it asks, so only the login prompt reaches here.
    if (prompt !== 'login') {
      sendHtml(res, 500, idpErrorPage('Unexpected prompt', `The lab IdP has no page for the "${prompt}" prompt.`));
      return true;
    }

    // A verifier set wins over Basic: one scheme per lab page keeps each test's challenge plain.
    const verify = settings().negotiate;
    if (req.method === 'GET' && step === null && verify !== null) {
      const account = await negotiateAccount(req.headers.authorization, verify);
      if (account !== undefined) {
        await finish(req, res, uid, account, ['kerberos']);
      } else {
        // A refused token gets the bare challenge again, as IIS and Apache's mod_auth_gssapi answer:
        // the browser then shows this page.
        res.writeHead(401, { 'www-authenticate': 'Negotiate', 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(idpErrorPage('Sign-in needed', 'This page signs you in with your Windows (Kerberos) sign-in, and your browser gave none.'));
      }
      return true;
    }

    if (req.method === 'GET' && step === null && settings().basicAuth) {
      const account = basicAccount(req.headers.authorization);
      if (account !== undefined) {
        await finish(req, res, uid, account, ['pwd']);
      } else {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Lab IdP", charset="UTF-8"', 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(idpErrorPage('Sign-in needed', 'This page needs your lab user name and password.'));
      }
      return true;
    }

    if (req.method === 'GET' && step === null) {
      const auto = settings().autoLogin;
      const account = auto === null ? undefined : findAccount(auto);
      if (account !== undefined) await finish(req, res, uid, account, ['kerberos']);
      else sendHtml(res, 200, loginPage(loginAction, { error: null, username: '' }));
      return true;
    }

    if (req.method === 'POST' && step === 'login') {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const account = checkPassword(username, form.get('password') ?? '');
      if (account === undefined) {
        sendHtml(res, 200, loginPage(loginAction, { error: 'Wrong username or password.', username }));
      } else if (settings().otp) {
        awaitingOtp.set(uid, account);
        sendHtml(res, 200, otpPage(otpAction, { error: null, displayName: account.displayName }));
      } else {
        await finish(req, res, uid, account, ['pwd']);
      }
      return true;
    }

    if (req.method === 'POST' && step === 'otp') {
      const form = await readForm(req);
      const account = awaitingOtp.get(uid);
      if (account === undefined) {
        sendHtml(res, 200, loginPage(loginAction, { error: 'Sign in with your password first.', username: '' }));
      } else if (form.get('otp')?.trim() !== labAccounts.otpCode) {
        sendHtml(res, 200, otpPage(otpAction, { error: 'Wrong code. Try again.', displayName: account.displayName }));
      } else {
        await finish(req, res, uid, account, ['pwd', 'otp']);
      }
      return true;
    }

    res.writeHead(405, { allow: step === null ? 'GET' : 'POST' });
    res.end();
    return true;
  };
}
