import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestLoopback, startLab, type Lab, type LoopbackResponse } from '../lab/lab.ts';
import { HttpBrowser } from './http-browser.ts';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterAll(async () => {
  await lab.close();
});

afterEach(() => {
  lab.idp.setDeviceInterval(1);
  lab.idp.setDeviceSlowDown(0);
  lab.idp.setDeviceCodeLifetime(600);
});

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

function form(fields: Record<string, string>): { method: string; headers: Record<string, string>; body: string } {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(fields).toString() };
}

async function authorizeDevice(): Promise<DeviceAuthorization> {
  const answer = await requestLoopback(lab.idp.deviceAuthorizationEndpoint, form({ client_id: lab.cloud.desktopClientId, scope: 'openid profile email' }));
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as DeviceAuthorization;
}

function pollToken(deviceCode: string): Promise<LoopbackResponse> {
  return requestLoopback(lab.idp.tokenEndpoint, form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: lab.cloud.desktopClientId }));
}

async function pollError(deviceCode: string): Promise<[number, unknown]> {
  const answer = await pollToken(deviceCode);
  return [answer.status, (JSON.parse(answer.body) as { error?: unknown }).error];
}

describe('lab IdP device authorization grant', () => {
  it('lists its device authorization endpoint in the discovery document', async () => {
    const discovery = await requestLoopback(`${lab.idp.issuer}/.well-known/openid-configuration`);
    const document = JSON.parse(discovery.body) as Record<string, unknown>;
    expect(lab.idp.deviceAuthorizationEndpoint).toBe(`${lab.idp.issuer}/device/auth`);
    expect(document['device_authorization_endpoint']).toBe(lab.idp.deviceAuthorizationEndpoint);
    expect(document['grant_types_supported']).toContain('urn:ietf:params:oauth:grant-type:device_code');
  });

  it('answers with the lab interval, the lifetime and a complete verification URI', async () => {
    const first = await authorizeDevice();
    expect(Object.keys(first).sort()).toEqual(['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    expect(first.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(first.verification_uri).toBe(`${lab.idp.issuer}/device`);
    expect(first.verification_uri_complete).toBe(`${lab.idp.issuer}/device?user_code=${first.user_code}`);
    expect([first.expires_in, first.interval]).toEqual([600, 1]);

    lab.idp.setDeviceInterval(7);
    lab.idp.setDeviceCodeLifetime(30);
    const second = await authorizeDevice();
    expect([second.expires_in, second.interval]).toEqual([30, 7]);
  });

  it('refuses settings that are not whole seconds', () => {
    expect(() => lab.idp.setDeviceInterval(0)).toThrow(TypeError);
    expect(() => lab.idp.setDeviceCodeLifetime(1.5)).toThrow(TypeError);
    expect(() => lab.idp.setDeviceSlowDown(-1)).toThrow(TypeError);
  });

  it('answers authorization_pending while the person has not answered', async () => {
    const device = await authorizeDevice();
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'authorization_pending']);
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'authorization_pending']);
  });

  it('answers slow_down to the next device code polls, and hands other token requests on', async () => {
    const device = await authorizeDevice();
    lab.idp.setDeviceSlowDown(2);
    const slowed = await pollToken(device.device_code);
    expect([slowed.status, slowed.body, slowed.headers['cache-control']]).toEqual([400, '{"error":"slow_down"}', 'no-store']);
    // Another grant reaches oidc-provider with its body whole, and leaves the count alone.
    const refresh = await requestLoopback(lab.idp.tokenEndpoint, form({ grant_type: 'refresh_token', refresh_token: 'not-a-token', client_id: lab.cloud.desktopClientId }));
    expect([refresh.status, (JSON.parse(refresh.body) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    expect((await pollToken(device.device_code)).body).toBe('{"error":"slow_down"}');
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'authorization_pending']);
  });

  it('answers expired_token once the code has expired, and the page says so', async () => {
    const device = await authorizeDevice();
    expect(lab.idp.expireDeviceCodes()).toBeGreaterThanOrEqual(1);
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'expired_token']);
    const browser = new HttpBrowser();
    const codePage = await browser.open(device.verification_uri);
    const page = await browser.submit(codePage, { fields: { user_code: device.user_code } });
    expect(page.body).toContain('<p class="error" role="alert" id="error">That code has expired. Start again on your device.</p>');
  });

  it('signs the person in through the pages on confirm, and the next poll gets tokens', async () => {
    const device = await authorizeDevice();
    const browser = new HttpBrowser();
    // verification_uri_complete carries the code: oidc-provider posts it on by itself.
    const autoPost = await browser.open(device.verification_uri_complete);
    const confirm = await browser.submit(autoPost);
    expect(confirm.body).toContain('<strong id="client-name">Lab Cloud (desktop app)</strong>');
    expect(confirm.body).toContain(`<code id="shown-code">${device.user_code}</code>`);
    const login = await browser.submit(confirm, { buttonId: 'confirm' });
    expect(new URL(login.url).pathname).toMatch(/^\/interaction\/[\w-]+$/);
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'authorization_pending']);
    const done = await browser.submit(login, { fields: { username: 'ada', password: 'lovelace' } });
    expect(done.body).toContain('<p id="success">Lab Cloud (desktop app) is signed in on your device. You may close this tab.</p>');

    const answer = await pollToken(device.device_code);
    expect(answer.status).toBe(200);
    const tokens = JSON.parse(answer.body) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'openid profile email' });
    expect(typeof tokens['access_token']).toBe('string');
    expect(typeof tokens['refresh_token']).toBe('string');
    expect(decodeJwt(String(tokens['id_token']))).toMatchObject({ iss: lab.idp.issuer, aud: lab.cloud.desktopClientId, sub: 'ada', email: 'ada@lab.example' });
    // A device code is good for one set of tokens.
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'invalid_grant']);
  });

  it('goes from confirm straight to success for a person already signed in at the IdP', async () => {
    const browser = new HttpBrowser();
    const first = await authorizeDevice();
    const login = await browser.submit(await browser.submit(await browser.open(first.verification_uri_complete)), { buttonId: 'confirm' });
    await browser.submit(login, { fields: { username: 'user name', password: 'spaced out' } });
    expect((await pollToken(first.device_code)).status).toBe(200);

    const second = await authorizeDevice();
    const confirm = await browser.submit(await browser.open(second.verification_uri_complete));
    const done = await browser.submit(confirm, { buttonId: 'confirm' });
    expect(done.body).toContain('<p id="success">');
    const answer = await pollToken(second.device_code);
    expect(answer.status).toBe(200);
    expect(decodeJwt(String((JSON.parse(answer.body) as { id_token: unknown }).id_token)).sub).toBe('user name');
  });

  it('takes a code typed by hand, in any case and without its dash', async () => {
    const device = await authorizeDevice();
    const browser = new HttpBrowser();
    const codePage = await browser.open(device.verification_uri);
    expect(codePage.body).toContain('<label for="user_code">Code</label>');
    const wrong = await browser.submit(codePage, { fields: { user_code: 'BBBB-BBBB' } });
    expect(wrong.body).toContain('No device is waiting for that code. Check it and try again.');
    const confirm = await browser.submit(wrong, { fields: { user_code: device.user_code.replace('-', '').toLowerCase() } });
    expect(confirm.body).toContain('<button id="confirm"');
  });

  it('answers access_denied to the polls after the person denies at the confirm step', async () => {
    const device = await authorizeDevice();
    const browser = new HttpBrowser();
    const confirm = await browser.submit(await browser.open(device.verification_uri_complete));
    const denied = await browser.submit(confirm, { buttonId: 'abort' });
    expect(denied.body).toContain('<p id="denied">The device was not signed in. You may close this tab.</p>');
    await expect(pollError(device.device_code)).resolves.toEqual([400, 'access_denied']);
  });
});
