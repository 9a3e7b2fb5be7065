import Store, { type Schema } from 'electron-store';
import type { TrayToggles } from './common/tray-menu.ts';

/** Where the app window was, restored at the next start. */
export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The desktop app's own preferences; sites and sessions live in the engine, not here. */
export interface Preferences extends TrayToggles {
  windowBounds: WindowBounds | null;
}

const bounds = {
  type: ['object', 'null'],
  properties: {
    x: { type: 'integer' },
    y: { type: 'integer' },
    width: { type: 'integer', minimum: 320, maximum: 10000 },
    height: { type: 'integer', minimum: 240, maximum: 10000 },
  },
  required: ['x', 'y', 'width', 'height'],
  additionalProperties: false,
} as const;

// Validated on every read and write (electron-store checks the JSON schema with ajv), so a
// hand-edited file cannot give the app a window size or a flag of the wrong type.
const schema: Schema<Preferences> = {
  windowBounds: bounds,
  startMinimised: { type: 'boolean' },
  notifications: { type: 'boolean' },
};

/** The preferences file, `preferences.json` in the app's user-data folder (the Latchkey home). */
export type PreferenceStore = Store<Preferences>;

/**
 * Opens the preferences. A file that is not valid JSON is started afresh: preferences are
 * conveniences, never worth refusing to start over.
 * See https://github.com/sindresorhus/electron-store#readme
 */
export function openPreferences(): PreferenceStore {
  return new Store<Preferences>({
    name: 'preferences',
    schema,
    defaults: { windowBounds: null, startMinimised: false, notifications: true },
    clearInvalidConfig: true,
    accessPropertiesByDotNotation: false,
  });
}
