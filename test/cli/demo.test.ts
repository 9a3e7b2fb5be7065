import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoLabPorts } from '../../cli/demo-sites.ts';
import { listenOnLoopback } from '../lab/listener.ts';
import { makeTestHome } from '../support/test-home.ts';
import { cliEnv } from '../support/live-agent.ts';
import { runCli, startCli, type CliChild, type CliRun } from '../support/cli-process.ts';
import { homePaths } from '../../core/home.ts';

/** A site as `latchkey sites --json` lists it. */
interface ListedSite {
  id: string;
  name: string;
  url: string;
  default: boolean;
  state: string;
}

const demoNames = ['demo', 'demo-cloud', 'demo-query', 'demo-portal'];
const home = makeTestHome('demo').dir;
// Six ports of this run's own: a second test run on the machine runs this test too.
const portBase = 20_000 + 10 * Math.floor(Math.random() * 1_000);
const ports = demoLabPorts({ LATCHKEY_DEMO_PORTS: String(portBase) });
const env = cliEnv(home, { LATCHKEY_DEMO_PORTS: String(portBase) });
let firstRun: ListedSite[] = [];
let held: Server | null = null;

afterAll(async () => {
  await new Promise<void>((resolve) => (held?.listening ? held.close(() => resolve()) : resolve()));
});

function startDemo(): CliChild {
  return startCli(['demo', '--auto-login', 'ada', '--headless'], env);
}

async function listSites(): Promise<ListedSite[]> {
  const listed = await runCli(['sites', '--json'], env);
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as ListedSite[];
}

/** `latchkey api NAME /api/whoami` for each name, from another terminal. */
function whoamis(names: string[]): Promise<CliRun[]> {
  return Promise.all(names.map((name) => runCli(['api', name, '/api/whoami'], env)));
}

const whoamiOf: Record<string, string> = {
  demo: '{"user":"ada"}',
  'demo-cloud': '{"user":"ada@lab.example","via":"api-token"}',
  'demo-query': '{"user":"ada"}',
  'demo-portal': '{"user":"ada","email":"ada@lab.example"}',
};

/** Stops a demo with Ctrl-C and checks that it stopped cleanly. */
async function interrupt(demo: CliChild): Promise<CliRun> {
  demo.kill('SIGINT');
  const result = await demo.done;
  expect(result.code).toBe(0);
  expect(existsSync(join(homePaths(home).hostDir, 'agent.json'))).toBe(false);
  return result;
}

describe('latchkey demo', () => {
  it('registers a site per login mode, logs in to demo, shows the session at work, and serves other terminals until Ctrl-C', async () => {
    const demo = startDemo();
    await demo.stderrHas('signs in ada by itself');
    await demo.stdoutHas('Press Ctrl-C to stop.');
    // Other terminals, while the demo runs: each site logs in on first use, through the demo's agent.
    const [token, apis] = await Promise.all([runCli(['token', 'demo', '--no-prompt'], env), whoamis(demoNames)]);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^\S{16,}\n$/);
    expect(apis.map((run) => [run.code, run.stdout])).toEqual(demoNames.map((name) => [0, whoamiOf[name]]));
    firstRun = await listSites();
    expect(firstRun.map((site) => [site.name, site.default, site.state])).toEqual(demoNames.map((name) => [name, name === 'demo', 'valid']));

    const result = await interrupt(demo);
    const lines = result.stdout.split('\n');
    const [studio, cloud, catalyst, portal] = firstRun.map((site) => site.url);
    expect(lines[0]).toBe(`Logged in to ${studio} as ada.`);
    expect(studio).toMatch(/^http:\/\/studio\.localhost:\d+$/);
    // In local time with the relative form: the lab's sessions last an hour.
    const minutes = Number(/^The session expires \d{4}-\d\d-\d\d \d\d:\d\d \(in (\d+) min\)\.$/.exec(lines[1] ?? '')?.[1]);
    expect(minutes).toBeGreaterThan(0);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(lines[2]).toContain('GET /api/whoami with 200: {"user":"ada"}');
    expect(result.stdout).toContain(
      `  demo         ${studio}    shotgrid: the _session_id cookie\n` +
        `  demo-cloud   ${cloud}     cloudshell: an API token, sent as Authorization: Bearer\n` +
        `  demo-query   ${catalyst}  query-key: a session key, sent as ?SessionKey=\n` +
        `  demo-portal  ${portal}    cloudshell-portal: a JWT in the portal_jwt cookie\n`,
    );
    expect(result.stdout).toContain(`  export LATCHKEY_HOME='${home}'\n  latchkey token demo\n  latchkey api demo /api/whoami\n  latchkey token demo-cloud\n`);
    expect(result.stdout).toContain('  latchkey api demo-portal /api/whoami\n');
    expect(result.stderr).toContain(`SSO lab: identity provider http://idp.localhost:`);
  });

  it('keeps the sites and their URLs on the next run, logged out, and registers again a site whose port was taken', async () => {
    expect(firstRun).toHaveLength(4);
    // Something else now holds the cloud's port (when it is not busy already, it is held here).
    held = createServer();
    await listenOnLoopback(held, ports.cloud).catch(() => undefined);
    const demo = startDemo();
    await demo.stdoutHas('Press Ctrl-C to stop.');
    const secondRun = await listSites();
    const apis = await whoamis(['demo-cloud', 'demo-portal']);
    const result = await interrupt(demo);

    expect(result.stderr).toContain(`cloud.localhost: ${ports.cloud} → `);
    // The lab forgot its sessions: the sessions stored by the first run are not handed out.
    expect(result.stdout).toContain('GET /api/whoami with 200: {"user":"ada"}');
    const kept = (run: ListedSite[]) => run.filter((site) => site.name !== 'demo-cloud').map((site) => [site.id, site.name, site.url]);
    expect(kept(secondRun)).toEqual(kept(firstRun));
    expect(secondRun.map((site) => [site.name, site.state])).toEqual([
      ['demo', 'valid'],
      ['demo-query', 'none'],
      ['demo-portal', 'none'],
      ['demo-cloud', 'none'],
    ]);
    const cloud = secondRun.find((site) => site.name === 'demo-cloud');
    expect(cloud?.url).toMatch(/^http:\/\/cloud\.localhost:\d+$/);
    expect(cloud?.url).not.toBe(`http://cloud.localhost:${ports.cloud}`);
    expect(apis.map((run) => [run.code, run.stdout])).toEqual([
      [0, whoamiOf['demo-cloud']],
      [0, whoamiOf['demo-portal']],
    ]);
  });

  it('explains what to do where no desktop exists for the window', async () => {
    const noDisplay = cliEnv(makeTestHome('demo-nodisplay').dir);
    delete noDisplay['DISPLAY'];
    delete noDisplay['WAYLAND_DISPLAY'];
    const result = await runCli(['demo'], noDisplay);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('DISPLAY is not set');
    expect(result.stderr).toContain('--auto-login ada --headless');
  });

  it('exits 2 on a usage mistake', async () => {
    const result = await runCli(['demo', '--no-such-flag'], cliEnv(makeTestHome('demo-usage').dir));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown option --no-such-flag.');
  });
});
