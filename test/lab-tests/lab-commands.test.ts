import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { runLabCommand } from '../lab/lab-commands.ts';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterAll(async () => {
  await lab.close();
});

describe('runLabCommand', () => {
  it('stops and restarts the identity provider', async () => {
    await expect(runLabCommand(lab, 'idp down')).resolves.toBe('Identity provider stopped.');
    await expect(requestLoopback(`${lab.idp.url}/.well-known/openid-configuration`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(runLabCommand(lab, 'idp up')).resolves.toBe(`Identity provider listening on ${lab.idp.url}.`);
    expect((await requestLoopback(`${lab.idp.url}/.well-known/openid-configuration`)).status).toBe(200);
  });

  it('switches a site failure on and off', async () => {
    await expect(runLabCommand(lab, 'failure renew_500')).resolves.toBe('The site now fails with renew_500.');
    expect((await requestLoopback(`${lab.site.url}/auth/renew?product=test`)).status).toBe(500);
    await expect(runLabCommand(lab, 'failure off')).resolves.toBe('The site behaves normally.');
    expect((await requestLoopback(`${lab.site.url}/auth/renew?product=test`)).status).toBe(302);
  });

  it('answers bad input with a message instead of throwing', async () => {
    await expect(runLabCommand(lab, 'failure bogus')).resolves.toMatch(/^unknown site failure: "bogus"/);
    await expect(runLabCommand(lab, 'auto nobody')).resolves.toBe('autoLogin names no lab account: "nobody"');
    await expect(runLabCommand(lab, 'lifetime 0')).resolves.toMatch(/^session lifetime must be/);
    await expect(runLabCommand(lab, 'otp maybe')).resolves.toBe('Say "otp on" or "otp off".');
    await expect(runLabCommand(lab, 'frobnicate')).resolves.toBe('Unknown command "frobnicate". Type "help".');
    await expect(runLabCommand(lab, '   ')).resolves.toBe('');
  });

  it('never prints session values', async () => {
    await expect(runLabCommand(lab, 'sessions')).resolves.toBe('0 site session(s) issued.');
  });
});
