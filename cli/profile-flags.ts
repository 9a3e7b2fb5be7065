import { profileFieldKinds, type ProfileField } from '../core/common/profile.ts';
import type { ProfilePatch } from '../core/common/operations.ts';
import { listValue, stringValue, usageError } from './arguments.ts';
import type { OptionSpec, ParsedArgs } from './command.ts';

/** The named flags for the profile fields people set most, by field. */
const namedFlags: ReadonlyArray<{ option: OptionSpec; field: ProfileField }> = [
  { field: 'renewPath', option: { name: 'renew-path', value: 'PATH', description: 'path that starts a login (shotgrid: /auth/renew?product=latchkey)' } },
  { field: 'landingPath', option: { name: 'landing-path', value: 'PATH', description: 'exact path where a login ends (shotgrid: /auth/landing)' } },
  { field: 'sessionCookie', option: { name: 'session-cookie', value: 'NAME', description: 'cookie holding the session (shotgrid: _session_id)' } },
  { field: 'userCookie', option: { name: 'user-cookie', value: 'NAME', description: "cookie holding the user's login name (none: null)" } },
  { field: 'validatePath', option: { name: 'validate-path', value: 'PATH', description: 'a GET that answers 200 while the session is good (none: null)' } },
  { field: 'logoutPath', option: { name: 'logout-path', value: 'PATH', description: "the site's logout path, called on logout (none: null)" } },
  { field: 'issuer', option: { name: 'issuer', value: 'URL', description: "oidc: the identity provider's issuer URL" } },
  { field: 'clientId', option: { name: 'client-id', value: 'ID', description: 'oidc: the client id registered for Latchkey' } },
  { field: 'browser', option: { name: 'browser', value: 'WHICH', description: 'oidc: embedded (our window), system (your browser) or device (a code)' } },
  { field: 'proxy', option: { name: 'proxy', value: 'URL', description: "this site's own proxy: http://host:port or direct (the settings': null)" } },
];

/** `--scope` (repeatable) and `--set FIELD=VALUE` (repeatable), after the named flags. */
export const profileOptions: readonly OptionSpec[] = [
  ...namedFlags.map((flag) => flag.option),
  { name: 'scope', value: 'SCOPE', multiple: true, description: 'oidc: a scope to ask for (repeatable; openid is required)' },
  { name: 'set', value: 'FIELD=VALUE', multiple: true, description: 'any other profile field (repeatable; see below)', complete: 'fields' },
];

/** Help for `--set`, listing every field and how its value is written. */
export const profileHelp = `--set FIELD=VALUE sets any profile field: text as it is ("null" clears a field that may be
null), minutes as a whole number, lists comma-separated (or a JSON array), exchange as JSON
({"path":"/api/login","domain":"Global"}) or null. The fields:
${wrap(Object.keys(profileFieldKinds).join(', '), 96, '  ')}
The named flags above are the same as --set with their field.`;

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + word.length + 1 > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function isField(name: string): name is ProfileField {
  return Object.hasOwn(profileFieldKinds, name);
}

/** A field's value as written on the command line, in the type the profile holds. */
function fieldValue(field: ProfileField, text: string, path: string): unknown {
  const kind = profileFieldKinds[field];
  if (kind.endsWith('or null') && text === 'null') return null;
  switch (kind) {
    case 'text':
    case 'text or null':
      return text;
    case 'minutes':
    case 'minutes or null':
      if (!/^\d+$/.test(text)) throw usageError(`Field ${field} takes whole minutes${kind === 'minutes or null' ? ' or null' : ''}, not ${JSON.stringify(text)}.`, path);
      return Number(text);
    case 'list':
      if (text.trim().startsWith('[')) return parseJson(field, text, path);
      return text === '' ? [] : text.split(',').map((item) => item.trim());
    case 'json or null':
      return parseJson(field, text, path);
  }
}

function parseJson(field: ProfileField, text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`Field ${field} takes JSON here, and ${JSON.stringify(text)} is not.`, path);
  }
}

/**
 * The profile fields a command line sets: the named flags, `--scope`, and `--set FIELD=VALUE`,
 * each checked for its form here; the agent validates every value against the preset's rules.
 */
export function readProfileFlags(args: ParsedArgs, path: string): ProfilePatch {
  const patch: Record<string, unknown> = {};
  const set = (field: ProfileField, value: unknown, from: string): void => {
    if (Object.hasOwn(patch, field)) throw usageError(`Field ${field} is given twice (${from}).`, path);
    patch[field] = value;
  };
  for (const { option, field } of namedFlags) {
    const text = stringValue(args.values[option.name]);
    if (text !== undefined) set(field, fieldValue(field, text, path), `--${option.name}`);
  }
  const scopes = listValue(args.values['scope']);
  if (scopes.length > 0) set('scopes', scopes, '--scope');
  for (const assignment of listValue(args.values['set'])) {
    const at = assignment.indexOf('=');
    const name = at < 0 ? assignment : assignment.slice(0, at);
    if (at < 0 || !isField(name)) {
      throw usageError(`--set takes FIELD=VALUE with a profile field, not ${JSON.stringify(assignment)}.`, path);
    }
    set(name, fieldValue(name, assignment.slice(at + 1), path), '--set');
  }
  return patch as ProfilePatch;
}
