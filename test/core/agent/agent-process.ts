// Runs an agent in its own process, for the tests of one agent per home across processes:
// `node agent-process.ts <home> <runtimeDir>` prints one JSON line `{ pid, socket, port }` once
// listening, and closes the agent when stdin ends, on SIGTERM, or when a token holder asks it to stop.
import { startAgentServer } from '../../../core/agent/agent-server.ts';
import { createFixtureEngine } from './fixture-handlers.ts';

const [home, runtimeDir] = process.argv.slice(2);
if (home === undefined || runtimeDir === undefined) throw new TypeError('usage: agent-process.ts <home> <runtimeDir>');
// A headless agent's answer to a stop request (`latchkey agent stop`, the desktop app taking over): close, then exit.
const agent = await startAgentServer({ home, runtimeDir, handlers: createFixtureEngine().handlers, version: '0.0.0-child', onStopRequest: () => stop() });
process.stdout.write(JSON.stringify({ pid: process.pid, socket: agent.socketPath, port: agent.port }) + '\n');
function stop(): void {
  void agent.close().then(() => process.exit(0));
}
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
