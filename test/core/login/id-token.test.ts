import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyIdToken } from '../../../core/login/id-token.ts';
import { LoginStepError } from '../../../core/login/login-step-error.ts';

const issuer = 'https://idp.example.com';
const clientId = 'latchkey';
const nonce = 'n-0S6_WzA2Mj';
const now = 1_700_000_000_000;
const nowSeconds = now / 1000;

let key: CryptoKey;
let otherKey: CryptoKey;
let keys: JSONWebKeySet;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  // The published set holds the public half of `key` only, under kid "k1".
  keys = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { iss: issuer, aud: clientId, sub: 'ada', nonce, iat: nowSeconds - 10, exp: nowSeconds + 3600, email: 'ada@lab.example', ...overrides };
}

function sign(payload: JWTPayload, signingKey: CryptoKey = key, alg = 'RS256'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, kid: 'k1' }).sign(signingKey);
}

async function problem(token: string, expectedNonce: string | null = nonce): Promise<string> {
  try {
    await verifyIdToken(token, { keys, issuer, clientId, nonce: expectedNonce, now });
  } catch (error) {
    if (error instanceof LoginStepError) {
      expect(error.failure.ending).toBe('incomplete');
      return error.failure.reason;
    }
    throw error;
  }
  throw new Error('expected the ID token to be refused');
}

describe('verifyIdToken', () => {
  it('returns the claims of a token signed by a published key, for this client, with this nonce', async () => {
    expect(await verifyIdToken(await sign(claims()), { keys, issuer, clientId, nonce, now })).toMatchObject({ sub: 'ada', email: 'ada@lab.example' });
  });

  it('accepts several audiences when the authorized party is this client', async () => {
    const token = await sign(claims({ aud: [clientId, 'api'], azp: clientId }));
    expect(await verifyIdToken(token, { keys, issuer, clientId, nonce, now })).toMatchObject({ azp: clientId });
  });

  it('skips the nonce for a refreshed token, which carries none', async () => {
    const { nonce: _n, ...refreshed } = claims();
    expect(await verifyIdToken(await sign(refreshed), { keys, issuer, clientId, nonce: null, now })).toMatchObject({ sub: 'ada' });
  });

  it('tolerates a minute of clock difference, no more', async () => {
    expect(await verifyIdToken(await sign(claims({ exp: nowSeconds - 30 })), { keys, issuer, clientId, nonce, now })).toMatchObject({ sub: 'ada' });
    expect(await problem(await sign(claims({ exp: nowSeconds - 90 })))).toBe('The ID token has expired.');
  });

  it.each([
    ['another key', () => sign(claims(), otherKey), "signature does not verify"],
    ['another issuer', () => sign(claims({ iss: 'https://idp.example.com.evil.com' })), 'another issuer'],
    ['another audience', () => sign(claims({ aud: 'someone-else' })), 'another client (aud)'],
    ['several audiences without azp', () => sign(claims({ aud: [clientId, 'api'] })), 'another client (azp)'],
    ['another authorized party', () => sign(claims({ azp: 'someone-else' })), 'another client (azp)'],
    ['another nonce', () => sign(claims({ nonce: 'from-an-earlier-login' })), 'nonce is not the one this login sent'],
    ['no nonce', () => sign(claims({ nonce: undefined })), 'nonce is not the one this login sent'],
    ['no subject', () => sign(claims({ sub: undefined })), '"sub" claim'],
    ['an HMAC signature', () => sign(claims(), new Uint8Array(32).fill(7) as unknown as CryptoKey, 'HS256'), 'algorithm Latchkey does not accept'],
    ['an empty signature', async () => `${(await sign(claims())).split('.').slice(0, 2).join('.')}.`, 'signature does not verify'],
    ['no signature at all (alg none)', async () => new UnsecuredJWT(claims()).encode(), 'algorithm Latchkey does not accept'],
    ['garbage', async () => 'not-a-jwt', 'not a valid signed JWT'],
  ])('refuses a token with %s', async (_case, make, says) => {
    expect(await problem(await make())).toContain(says);
  });
});
