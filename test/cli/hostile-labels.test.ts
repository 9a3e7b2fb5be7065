import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHiddenCharacters } from '../../core/common/display-text.ts';
import { runCli } from '../support/cli-process.ts';
import { hostileTexts } from '../support/hidden-characters.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';

// The user label is read from a cookie that the site, or a sibling subdomain through `Domain=`,
// sets: whatever it holds, the command line shows it cleaned, and `--json` exactly.
let live: LiveAgent;

beforeAll(async () => {
  live = await startLiveAgent('cli-hostile-labels');
});

afterAll(async () => {
  live.lab.site.setUserLabel(null);
  await live?.close();
});

/** True when text shown in a terminal holds a control or format character other than its line breaks and tabs. */
const steersTerminal = (text: string): boolean => hasHiddenCharacters(text.replace(/[\n\t]/g, ''));

describe('a hostile user label', () => {
  for (const label of hostileTexts) {
    it(`is shown cleaned by login, status and sites, and exactly by --json: ${JSON.stringify(label)}`, async () => {
      live.lab.site.setUserLabel(label);
      const login = await runCli(['login', '--force'], live.env);
      expect(login.code).toBe(0);
      const [status, sites, json] = await Promise.all([runCli(['status'], live.env), runCli(['sites'], live.env), runCli(['status', '--json'], live.env)]);
      for (const run of [login, status, sites]) {
        expect(steersTerminal(run.stdout) || steersTerminal(run.stderr)).toBe(false);
        expect(run.stdout).toContain('\ufffd');
      }
      const reported = JSON.parse(json.stdout) as { sites: Array<{ user: string | null }> };
      expect(reported.sites[0]?.user).toBe(label);
    });
  }
});
