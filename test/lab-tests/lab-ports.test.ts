import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../lab/listener.ts';
import { requestLoopback, startLab, type Lab, type LabPorts } from '../lab/lab.ts';

const started: Array<{ close(): Promise<void> | void }> = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((item) => item.close()));
});

/** A server holding a loopback port, so the lab finds it busy. */
async function holdPort(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  const held = await listenOnLoopback(server, port);
  const holder = { port: held, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  started.push(holder);
  return holder;
}

/** Ports that were free a moment ago: each taken from the OS, then let go. */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(servers.map((server) => listenOnLoopback(server, 0)));
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

async function labOn(ports: LabPorts): Promise<Lab> {
  const lab = await startLab({ ports });
  started.push(lab);
  return lab;
}

function actualPorts(lab: Lab): Required<LabPorts> {
  return { idp: lab.idp.port, site: lab.site.port, siteTls: lab.site.tlsPort, cloud: lab.cloud.port, querySite: lab.querySite.port, jwtSite: lab.jwtSite.port };
}

describe('startLab with fixed ports', () => {
  it('listens on the ports given, and the issuer, the URLs and the client registrations follow them', async () => {
    const [idp = 0, site = 0, siteTls = 0, cloud = 0, querySite = 0, jwtSite = 0] = await freePorts(6);
    const ports = { idp, site, siteTls, cloud, querySite, jwtSite };
    const lab = await labOn(ports);
    expect(actualPorts(lab)).toEqual(ports);
    expect([lab.idp.issuer, lab.site.url, lab.site.tlsUrl, lab.cloud.url, lab.querySite.url, lab.jwtSite.url]).toEqual([
      `http://idp.localhost:${idp}`,
      `http://studio.localhost:${site}`,
      `https://studio.localhost:${siteTls}`,
      `http://cloud.localhost:${cloud}`,
      `http://catalyst.localhost:${querySite}`,
      `http://portal.localhost:${jwtSite}`,
    ]);
    const discovery = await requestLoopback(`${lab.idp.issuer}/.well-known/openid-configuration`);
    expect(JSON.parse(discovery.body)).toMatchObject({ issuer: lab.idp.issuer, token_endpoint: `${lab.idp.issuer}/token` });
    expect(lab.cloud.clientRegistrations[0]?.redirect_uris).toContain(`http://cloud.localhost:${cloud}/auth/callback`);
    // The site sends the browser to the IdP on its port, with a redirect URI on the site's own port.
    const renew = await requestLoopback(`${lab.site.url}/auth/renew`);
    const authorize = new URL(String(renew.headers.location));
    expect(authorize.origin).toBe(lab.idp.issuer);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://studio.localhost:${site}/auth/sso/callback`);
  });

  it('takes a port from the OS for a server whose port is busy, and the rest keep theirs', async () => {
    const [busySite, busyIdp] = await Promise.all([holdPort(), holdPort()]);
    const [cloud = 0] = await freePorts(1);
    const lab = await labOn({ site: busySite?.port, idp: busyIdp?.port, cloud });
    expect(lab.site.port).not.toBe(busySite?.port);
    expect(lab.idp.port).not.toBe(busyIdp?.port);
    expect(lab.cloud.port).toBe(cloud);
    expect(lab.idp.issuer).toBe(`http://idp.localhost:${lab.idp.port}`);
    expect((await requestLoopback(`${lab.site.url}/api/whoami`)).status).toBe(401);
    expect(JSON.parse((await requestLoopback(`${lab.idp.issuer}/.well-known/openid-configuration`)).body)).toMatchObject({ issuer: lab.idp.issuer });
  });

  it('refuses a number that is not a TCP port', async () => {
    await expect(startLab({ ports: { cloud: 70_000 } })).rejects.toThrow(TypeError);
    await expect(startLab({ ports: { idp: 1.5 } })).rejects.toThrow(/not a TCP port/);
  });
});
