import { startAgentServer, type AgentServer } from '../../core/agent/agent-server.ts';
import { createEngine, type Engine } from '../../core/engine.ts';
import { startLab, type Lab, type LabOptions } from '../lab/lab.ts';
import { makeTestHome, type TestHome } from './test-home.ts';

/** A running agent (real engine, real sockets, hidden Chromium login windows) with the lab site registered as `demo`. */
export interface LiveAgent {
  home: TestHome;
  lab: Lab;
  engine: Engine;
  server: AgentServer;
  close(): Promise<void>;
}

/** Starts the lab and an agent over a fresh home, with the lab's site registered under the name `demo`. */
export async function startLiveAgent(label: string, labOptions: LabOptions = { autoLogin: 'ada' }): Promise<LiveAgent> {
  const home = makeTestHome(label);
  const lab = await startLab(labOptions);
  const engine = await createEngine({
    home: home.dir,
    version: 'test',
    headless: true,
    logger: home.logger,
    timeouts: { interactiveMs: 20_000, silentMs: 10_000, settleMs: 1_500 },
  });
  engine.registry.add({ url: lab.site.url, name: 'demo', preset: 'shotgrid', default: true });
  const server = await startAgentServer({ home: home.dir, handlers: engine.handlers, version: 'test', events: engine.onEvent, logger: home.logger });
  return {
    home,
    lab,
    engine,
    server,
    close: async () => {
      await server.close();
      engine.close();
      await lab.close();
    },
  };
}
