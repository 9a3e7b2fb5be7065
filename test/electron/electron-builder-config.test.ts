import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

interface AjvError {
  instancePath: string;
  message?: string;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvInstance {
  compile(schema: unknown): AjvValidate;
}

/**
 * electron-builder's own validator: its JSON schema (app-builder-lib/scheme.json) compiled by the
 * ajv it depends on, with the options it uses itself, except coercion: a string where a list
 * belongs is a mistake here, not something to fix up.
 */
function builderSchemaValidator(): AjvValidate {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
  const Ajv = (fromBuilder('ajv') as { default: new (options: object) => AjvInstance }).default;
  const schema = JSON.parse(readFileSync(fromBuilder.resolve('./scheme.json'), 'utf8')) as unknown;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

const validate = builderSchemaValidator();
const errorsOf = (candidate: unknown): string[] => (validate(candidate) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));

describe('electron-builder.yml', () => {
  it("matches electron-builder's own schema", () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('would be refused by the schema with a misspelt option (the check can fail)', () => {
    expect(errorsOf({ ...config, protocol: config['protocols'] }).length).toBeGreaterThan(0);
    expect(errorsOf({ ...config, linux: { target: 'AppImage', category: 7 } }).length).toBeGreaterThan(0);
  });

  it('names the app', () => {
    expect(config['productName']).toBe('Latchkey');
    expect(config['appId']).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/);
  });

  it('packs the built app and package.json, whose main is among the packed files', () => {
    const files = config['files'] as string[];
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**', 'dist/renderer/**']));
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(manifest.main.startsWith('dist/electron/')).toBe(true);
  });

  it('carries no lab: only built folders are packed, and the OpenID Provider of the lab is no production dependency', () => {
    const files = config['files'] as string[];
    expect(files.filter((pattern) => !pattern.startsWith('!')).every((pattern) => pattern === 'package.json' || pattern.startsWith('dist/electron/') || pattern.startsWith('dist/renderer/'))).toBe(true);
    // electron-builder adds the production dependencies, and only those.
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('oidc-provider');
    expect(Object.keys(manifest.devDependencies)).toContain('oidc-provider');
  });

  it('ships the tray icons as extra resources, where the main process looks for them', () => {
    expect(config['extraResources']).toEqual([{ from: 'resources/tray', to: 'tray', filter: ['*.png'] }]);
    for (const state of ['ok', 'attention', 'busy']) {
      expect(existsSync(join(root, 'resources', 'tray', `tray-${state}.png`))).toBe(true);
      expect(existsSync(join(root, 'resources', 'tray', `tray-${state}@2x.png`))).toBe(true);
    }
  });

  it("flips Electron's fuses: no plain-Node or inspector entry, cookies encrypted, the app only from its validated asar", () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config['asar']).toBe(true);
    // A misspelt fuse is refused by the schema: the check above reads what electron-builder reads.
    expect(errorsOf({ ...config, electronFuses: { runAsNodes: false } }).length).toBeGreaterThan(0);
  });

  it('registers the latchkey:// scheme', () => {
    expect(config['protocols']).toEqual([{ name: 'Latchkey login link', schemes: ['latchkey'] }]);
  });

  it('builds AppImage and deb on Linux, dmg and zip on macOS, and an NSIS installer on Windows', () => {
    const targets = (platform: string): unknown => (config[platform] as { target: unknown }).target;
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(targets('mac')).toEqual(['dmg', 'zip']);
    expect(targets('win')).toEqual(['nsis']);
  });

  it('points every icon at a file that exists', () => {
    for (const platform of ['linux', 'mac', 'win']) {
      const icon = (config[platform] as { icon: string }).icon;
      expect(existsSync(join(root, icon))).toBe(true);
    }
  });
});
