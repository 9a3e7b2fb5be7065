import { forDisplay } from '../core/common/display-text.ts';
import type { AgentEvent } from '../core/common/views.ts';
import type { AgentClient } from './client/agent-client.ts';
import { lookupSiteOrThrow } from './client/site-ref.ts';
import type { CommandDeps } from './deps.ts';
import { localTime } from './site-text.ts';

type LoginPrompt = Extract<AgentEvent, { type: 'loginPrompt' }>;

/** What the person reads on stderr for a prompt: the page (and the code) to use outside Latchkey's window. */
export function promptText(prompt: LoginPrompt, now: number): string {
  const url = forDisplay(prompt.url);
  if (prompt.userCode === null) return `Continue the login to ${forDisplay(prompt.site)} in your browser. If no browser opened, open:\n  ${url}\n`;
  const until = prompt.expiresAt === null ? '' : ` (valid until ${localTime(prompt.expiresAt, now)})`;
  return `To log in to ${forDisplay(prompt.site)}, open this page on any device:\n  ${url}\nand enter the code ${forDisplay(prompt.userCode)}${until}.\n`;
}

/**
 * Prints, on stderr, what a login of `ref`'s site asks of the person outside Latchkey's window
 * (the page of a login in their browser, a device code), for as long as the returned function is
 * not called. The agent sends the prompt of a login already under way to each new stream, so
 * this may start after the login did. Failing to follow is said once, and the wait goes on.
 */
export async function followLoginPrompts(client: AgentClient, ref: string, deps: CommandDeps): Promise<() => void> {
  try {
    const siteId = (await lookupSiteOrThrow(client, ref, { signal: deps.signal })).id;
    const shown = new Set<string>();
    return await client.events((event) => {
      if (event.type !== 'loginPrompt' || event.site !== siteId) return;
      const key = `${event.url}\n${event.userCode ?? ''}`;
      if (shown.has(key)) return;
      shown.add(key);
      deps.stderr.write(promptText(event, deps.clock.now()));
    });
  } catch (error) {
    deps.stderr.write(`(The login's page cannot be shown here: ${error instanceof Error ? forDisplay(error.message) : 'the agent\'s events could not be read'}.)\n`);
    return () => undefined;
  }
}
