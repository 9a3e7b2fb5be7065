import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import Provider, { interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { findAccount } from './accounts.ts';
import { IdpDeviceFlow } from './idp-device-flow.ts';
import { idpErrorPage, idpLogoutPage } from './idp-pages.ts';
import { createInteractionHandler, type NegotiateVerifier, type SignInSettings } from './idp-interactions.ts';
import { generateIdpKeys } from './idp-keys.ts';
import { IdpStore } from './idp-store.ts';
import { checkChoice } from './choice.ts';
import { authorizationTampers, IdpTamperer, idTokenTampers, type AuthorizationTamper, type IdTokenTamper } from './idp-tamper.ts';
import { closeNow, listenOnLoopback, listenOnLoopbackPreferring } from './listener.ts';

/** Where a relying party reaches the lab's identity provider. */
export interface IdpEndpoints {
  issuer: string;
  /** Front channel: the browser goes here. */
  authorizationEndpoint: string;
  /** Back channel: the relying party posts codes here (a `*.localhost` URL; see loopback.ts). */
  tokenEndpoint: string;
  /** The provider's public signing keys. */
  jwksUri: string;
  /** Answers the claims of an access token's user (OpenID Connect Core 1.0, section 5.3). */
  userinfoEndpoint: string;
}

/** The lab's running OpenID Provider and its controls. */
export interface LabIdp extends IdpEndpoints {
  /** Same as `issuer`: `http://idp.localhost:<port>`. */
  url: string;
  port: number;
  /** Where a device starts the device authorization grant (RFC 8628 section 3.1); the person then opens `<issuer>/device`. */
  deviceAuthorizationEndpoint: string;
  /** Closes the listener and every connection: the IdP is down and connections are refused. */
  stop(): Promise<void>;
  /** Listens again on the same port; sessions and grants made before `stop()` are still there. */
  start(): Promise<void>;
  /** Signs every interaction in as this account with no page (integrated Windows authentication), or shows the form (null). */
  setAutoLogin(login: string | null): void;
  /** Asks for a one-time code after the password, or not. */
  setOtp(enabled: boolean): void;
  /** Signs people in through an HTTP Basic prompt (a 401 challenge) instead of the form, or not. */
  setBasicAuth(enabled: boolean): void;
  /**
   * Signs people in through integrated Windows authentication (a 401 `WWW-Authenticate: Negotiate`
   * challenge) instead of the form, with `verifier` judging each token, or not (null). Wins over
   * Basic when both are set.
   */
  setNegotiateAuth(verifier: NegotiateVerifier | null): void;
  /** Has the logout page ask a person to confirm (true) instead of confirming at once (false, the default). */
  setLogoutQuestion(asks: boolean): void;
  /** How many IdP sessions are alive. */
  sessionCount(): number;
  /** Ends every IdP session, as a password change does; returns how many there were. */
  endAllSessions(): number;
  /** Spoils the ID tokens the token endpoint hands out from now on (see IdTokenTamper), or stops (null). */
  setIdTokenTamper(tamper: IdTokenTamper | null): void;
  /** Spoils authorization responses that redirect to a relying party (see AuthorizationTamper), or stops (null). */
  setAuthorizationTamper(tamper: AuthorizationTamper | null): void;
  /** The `interval` (seconds ≥ 1) that device authorization responses tell from now on (default 1, so tests poll fast; RFC 8628's is 5). */
  setDeviceInterval(seconds: number): void;
  /** Makes the next `times` device code polls at the token endpoint answer 400 `slow_down`, before oidc-provider sees them (0: none). */
  setDeviceSlowDown(times: number): void;
  /** Lifetime of device codes made from now on, whole seconds ≥ 1 (default 600). */
  setDeviceCodeLifetime(seconds: number): void;
  /** Ends every device code not yet redeemed, as its lifetime would: polls answer `expired_token`; returns how many there were. */
  expireDeviceCodes(): number;
  /** Registers a relying party (validated now, so a bad registration fails here rather than mid-login). */
  registerClient(metadata: ClientMetadata): Promise<void>;
  /** Closes the IdP for good. */
  close(): Promise<void>;
}

/** How the IdP starts. */
export interface IdpOptions {
  autoLogin?: string | null;
  otp?: boolean;
  /** Listen on this port when it is free (else the OS chooses); the issuer follows the port used. */
  port?: number;
  /** Serve over HTTPS with this key and certificate (PEM), e.g. from a lab CA a test made: the issuer is then `https://idp.localhost:<port>`. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

function checkAutoLogin(login: string | null): string | null {
  if (login !== null && findAccount(login) === undefined) throw new TypeError(`autoLogin names no lab account: ${JSON.stringify(login)}`);
  return login;
}

// The lab grants its relying parties whatever they ask for, as a company IdP does for an
// administrator-approved app: no consent page. The grant is made where oidc-provider looks for an
// existing one, so the authorization request needs no second interaction.
async function loadOrCreateGrant(ctx: KoaContextWithOIDC) {
  const { Grant } = ctx.oidc.provider;
  const client = ctx.oidc.client;
  const accountId = ctx.oidc.session?.accountId;
  if (client === undefined || accountId === undefined) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client.clientId);
  const existing = grantId === undefined ? undefined : await Grant.find(grantId);
  if (existing !== undefined) return existing;
  const grant = new Grant({ clientId: client.clientId, accountId });
  const scope = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope : 'openid';
  grant.addOIDCScope(scope);
  await grant.save();
  return grant;
}

// oidc-provider asks for consent on every authorization of a native client (RFC 8252 section 8.6:
// any local app can listen on a loopback redirect). The lab, like a company IdP whose administrator
// approved the app, has no consent page for any client; the sign-in is the person's interaction.
function labInteractionPolicy(): interactionPolicy.DefaultPolicy {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');
  return policy;
}

// oidc-provider's logout page asks "Do you want to sign out?"; the lab's submits its form at once,
// unless a test has it ask a person (setLogoutQuestion).
function logoutPage(asks: () => boolean): (ctx: KoaContextWithOIDC, form: string) => void {
  return (ctx, form) => {
    ctx.type = 'html';
    ctx.body = idpLogoutPage(form, asks());
  };
}

function signedOutPage(ctx: KoaContextWithOIDC): void {
  ctx.type = 'html';
  ctx.body = idpErrorPage('Signed out', 'You are signed out of the lab identity provider.');
}

/** Starts the lab's identity provider on `http://idp.localhost:<port>` (listening on 127.0.0.1, on `options.port` when free, else a port from the OS). */
export async function startIdp(options: IdpOptions = {}): Promise<LabIdp> {
  const settings: SignInSettings = { autoLogin: checkAutoLogin(options.autoLogin ?? null), otp: options.otp ?? false, basicAuth: false, negotiate: null };
  let logoutAsks = false;
  const store = new IdpStore();
  const deviceFlow = new IdpDeviceFlow();
  const keys = await generateIdpKeys();
  const [signingJwk] = keys.jwks.keys;
  if (signingJwk === undefined) throw new Error('the lab IdP has no signing key');

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = options.tls === undefined ? createServer((req, res) => handle(req, res)) : createTlsServer(options.tls, (req, res) => handle(req, res));
  const port = await listenOnLoopbackPreferring(server, options.port);
  const issuer = `${options.tls === undefined ? 'http' : 'https'}://idp.localhost:${port}`;

  const configuration: Configuration = {
    adapter: store.adapterFactory,
    jwks: keys.jwks,
    cookies: { keys: keys.cookieKeys },
    findAccount: (_ctx, sub) => {
      const account = findAccount(sub);
      if (account === undefined) return undefined;
      return {
        accountId: account.login,
        claims: () => ({ sub: account.login, name: account.displayName, preferred_username: account.login, email: account.email, email_verified: true }),
      };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    // The scopes' claims go into the ID token too, as many company IdPs do: CloudShell finds its
    // user by the ID token's email claim (oidc-provider otherwise keeps them for userinfo).
    conformIdTokenClaims: false,
    // Every client allowed the refresh_token grant gets a refresh token, without the consent
    // prompt that oidc-provider requires before it honours `offline_access`.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    interactions: { policy: labInteractionPolicy(), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Spelled out (they are oidc-provider's defaults) because the endpoints below are built from them.
    routes: { authorization: '/auth', token: '/token', jwks: '/jwks', userinfo: '/me', device_authorization: '/device/auth', code_verification: '/device' },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: deviceFlow.feature(),
      revocation: { enabled: true },
      // A logout with a valid ID token hint ends the session without asking, as company IdPs do.
      rpInitiatedLogout: { enabled: true, logoutSource: logoutPage(() => logoutAsks), postLogoutSuccessSource: signedOutPage },
    },
    pkce: { required: () => true },
    loadExistingGrant: loadOrCreateGrant,
    // Every lifetime is set, so oidc-provider prints no "SHOULD change" notices at run time.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, DeviceCode: deviceFlow.codeTtl, IdToken: 3600, Interaction: 600, Session: 86_400, Grant: 86_400, RefreshToken: 86_400 },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = idpErrorPage('Sign-in error', `${out.error}: ${out.error_description ?? ''}`);
    },
  };
  const provider = new Provider(issuer, configuration);
  const interactions = createInteractionHandler(provider, () => settings);
  const tamperer = new IdpTamperer(issuer, signingJwk);
  const delegate = provider.callback();
  const serve = async (received: IncomingMessage, res: ServerResponse): Promise<void> => {
    let req = received;
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (req.method === 'POST' && path === '/token') {
      const passOn = await deviceFlow.answerSlowDown(req, res);
      if (passOn === null) return;
      req = passOn;
      tamperer.interceptTokenResponse(res);
    }
    if (req.method === 'POST' && path === '/device/auth') deviceFlow.addInterval(res);
    if (path === '/auth' || path.startsWith('/auth/')) tamperer.interceptAuthorizationRedirect(res);
    if (!(await interactions(req, res))) await delegate(req, res);
  };
  handle = (req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('lab idp: request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  };

  return {
    issuer,
    url: issuer,
    port,
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    userinfoEndpoint: `${issuer}/me`,
    deviceAuthorizationEndpoint: `${issuer}/device/auth`,
    stop: () => closeNow(server),
    start: async () => {
      if (!server.listening) await listenOnLoopback(server, port);
    },
    setAutoLogin: (login) => {
      settings.autoLogin = checkAutoLogin(login);
    },
    setOtp: (enabled) => {
      settings.otp = enabled;
    },
    setLogoutQuestion: (asks) => {
      logoutAsks = asks;
    },
    setBasicAuth: (enabled) => {
      settings.basicAuth = enabled;
    },
    setNegotiateAuth: (verifier) => {
      settings.negotiate = verifier;
    },
    endAllSessions: () => store.endAllSessions(),
    sessionCount: () => store.sessionCount(),
    setIdTokenTamper: (tamper) => {
      tamperer.state.idToken = checkChoice('ID token tamper', idTokenTampers, tamper);
    },
    setAuthorizationTamper: (tamper) => {
      tamperer.state.authorization = checkChoice('authorization tamper', authorizationTampers, tamper);
    },
    setDeviceInterval: (seconds) => deviceFlow.setInterval(seconds),
    setDeviceSlowDown: (times) => deviceFlow.setSlowDown(times),
    setDeviceCodeLifetime: (seconds) => deviceFlow.setCodeLifetime(seconds),
    expireDeviceCodes: () => store.expireDeviceCodes(),
    registerClient: async (metadata) => {
      await store.adapterFactory('Client').upsert(metadata.client_id, { ...metadata });
      await provider.Client.find(metadata.client_id);
    },
    close: () => closeNow(server),
  };
}
