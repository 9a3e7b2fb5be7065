import { loginBrowser, modeBrowsers, type LoginBrowser, type LoginProfile } from '../../core/common/profile.ts';

/** How each way of logging in (core/common/profile.ts, LoginBrowser) reads to the person. */
export const browserLabels: Readonly<Record<LoginBrowser, string>> = Object.freeze({
  embedded: "Latchkey's login window",
  system: 'Your own browser',
  device: 'A device code (no desktop)',
});

/** The same inside a sentence ("… logs in with your own browser"). */
export const browserInSentence: Readonly<Record<LoginBrowser, string>> = Object.freeze({
  embedded: "Latchkey's login window",
  system: 'your own browser',
  device: 'a device code',
});

/** The ways a profile's mode can log in, and the one it uses now. */
export interface BrowserChoice {
  /** Its mode's browsers, the mode's default first; a choice is offered only when there are two or more. */
  offered: readonly LoginBrowser[];
  current: LoginBrowser;
}

/** What a person may choose for `profile`: the browsers its mode allows (the engine checks the choice again). */
export function browserChoice(profile: Pick<LoginProfile, 'mode' | 'browser'>): BrowserChoice {
  return { offered: modeBrowsers[profile.mode], current: loginBrowser(profile) };
}
