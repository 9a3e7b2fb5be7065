// Runs the lab and a real agent (hidden login windows) in their own process, logs the lab site
// in once, and prints the discovery details: the agent under load runs apart from the load.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAgentServer } from '../core/agent/agent-server.ts';
import { createEngine } from '../core/engine.ts';
import { startLab } from '../test/lab/lab.ts';

const home = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const lab = await startLab({ autoLogin: 'ada' });
const engine = await createEngine({ home, version: 'bench', headless: true });
const site = engine.registry.add({ url: lab.site.url, name: 'demo', default: true });
await engine.sessions.login(site, { force: true });
const server = await startAgentServer({ home, handlers: engine.handlers, version: 'bench', events: engine.onEvent, logger: engine.logger });
process.stdout.write(JSON.stringify({ home, socket: server.socketPath, port: server.port, token: server.token, site: site.id }) + '\n');
process.on('SIGTERM', () => {
  void server.close().then(() => lab.close()).then(() => process.exit(0));
});
