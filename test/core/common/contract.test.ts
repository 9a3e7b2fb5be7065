import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../core/common/errors.ts';
import { operationRoutes, transportRoutes } from '../../../core/common/operations.ts';
import { presetList } from '../../../core/common/presets.ts';

// The contract is declared once, in core/common/ (docs/ARCHITECTURE.md, "One contract"). This
// scan fails when a route, an error code table, a preset, an event type or a wire shape is
// declared again anywhere else in the shipped code: a copy is what drifts.

const root = join(import.meta.dirname, '..', '..', '..');
const scanned = ['core', 'cli', 'renderer', 'electron', 'bin'];

/** The source files the scan reads, with their text, comments left out. */
function sources(): Array<{ path: string; code: string }> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js|cjs|mjs)$/.test(entry.name)) files.push(path);
    }
  };
  for (const dir of scanned) walk(join(root, dir));
  return files.map((path) => ({ path: relative(root, path), code: withoutComments(readFileSync(path, 'utf8')) }));
}

/** `text` without its comments, so that prose may name a route or a code. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const alternatives = (words: readonly string[]): string => words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
const eventTypes = ['sites', 'session', 'login', 'activity'];
const wireShapes = ['SiteView', 'SessionSummary', 'SessionGrant', 'GrantCookie', 'ActivityEntry', 'AgentStatus', 'AgentEvent', 'AgentDiscovery', 'LoginProfile', 'Bridge', 'BridgeResult', 'ErrorBody'];

/** True when `code` holds `pattern` at least `count` times, each with another first group. */
const distinct = (pattern: RegExp, count: number) => ({
  test: (code: string): boolean => new Set([...code.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].map((match) => match[1])).size >= count,
});

/** The kinds of declaration that belong to core/common/ alone, each with the file that holds it. */
const rules: Array<{ what: string; home: readonly string[]; pattern: { test(code: string): boolean } }> = [
  {
    what: 'a route of the agent API',
    home: ['core/common/operations.ts'],
    pattern: new RegExp(`['"\`](${alternatives([...Object.values(operationRoutes), ...Object.values(transportRoutes)].map((route) => route.path.split('/:id')[0] ?? route.path))})`),
  },
  {
    what: 'an error code in a union or a table',
    // cli/exit-codes.ts is a table over the codes, keyed by ErrorCode: the compiler holds it to the union.
    home: ['core/common/errors.ts', 'cli/exit-codes.ts'],
    // Three codes make a list: one code can be a word of another union (a login ending `timeout`) or a key (`timeout:`).
    pattern: {
      test: (code: string): boolean =>
        distinct(new RegExp(`\\|\\s*'(${alternatives(errorCodes)})'`), 3).test(code) || distinct(new RegExp(`^\\s*(${alternatives(errorCodes)}):`, 'm'), 3).test(code),
    },
  },
  {
    what: 'a preset',
    home: ['core/common/presets.ts'],
    pattern: new RegExp(`name:\\s*'(${alternatives(presetList.map((preset) => preset.name))})'|^\\s*'?(${alternatives(presetList.map((preset) => preset.name))})'?:\\s*\\{`, 'm'),
  },
  {
    what: 'an event type',
    home: ['core/common/views.ts'],
    // An event type as AgentEvent declares one: the type, then its field.
    pattern: new RegExp(`type:\\s*'(${alternatives(eventTypes)})'\\s*;\\s*(sites|site|entry)\\??:`),
  },
  {
    what: 'a wire shape',
    home: ['core/common/views.ts', 'core/common/discovery.ts', 'core/common/profile.ts', 'core/common/operations.ts', 'core/common/errors.ts'],
    pattern: new RegExp(`^\\s*(export\\s+)?(interface|type)\\s+(${alternatives(wireShapes)})\\b`, 'm'),
  },
];

/** Every declaration of the contract found outside its home, as `path: what`. */
export function copiesOfTheContract(files: Array<{ path: string; code: string }>): string[] {
  return files.flatMap(({ path, code }) => rules.filter((rule) => !rule.home.includes(path) && rule.pattern.test(code)).map((rule) => `${path}: ${rule.what}`));
}

describe('the contract', () => {
  it('is declared once, in core/common/: no route, error table, preset, event type or wire shape elsewhere', () => {
    expect(copiesOfTheContract(sources())).toEqual([]);
  });

  it('would find a copy of each kind', () => {
    const copies = [
      { path: 'renderer/bridge/api-routes.ts', code: "export const routes = { health: { method: 'GET', path: '/v1/health' } };" },
      { path: 'cli/client/agent-error.ts', code: "export type AgentErrorCode =\n  | 'login_required'\n  | 'login_timeout'\n  | 'unauthorized';" },
      { path: 'renderer/presets.ts', code: "export const presetChoices = [{ name: 'shotgrid', label: 'ShotGrid' }];" },
      { path: 'renderer/state/events.ts', code: "export type Event = { type: 'session'; site: string };" },
      { path: 'cli/client/discovery.ts', code: 'export interface AgentDiscovery { token: string }' },
    ];
    expect(copiesOfTheContract(copies)).toEqual([
      'renderer/bridge/api-routes.ts: a route of the agent API',
      'cli/client/agent-error.ts: an error code in a union or a table',
      'renderer/presets.ts: a preset',
      'renderer/state/events.ts: an event type',
      'cli/client/discovery.ts: a wire shape',
    ]);
  });

  it('takes every error code from the one union', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    expect(errorCodes).toContain('login_required');
    expect(errorCodes).toContain('unauthorized');
    expect(errorCodes).toContain('usage');
  });
});
