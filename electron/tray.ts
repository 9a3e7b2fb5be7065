import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { join } from 'node:path';
import type { TrayCommand, TrayMenuEntry } from './common/tray-menu.ts';
import type { TrayState } from './common/tray-state.ts';

const states: readonly TrayState[] = ['ok', 'attention', 'busy'];

/**
 * The tray icon of one state. `tray-<state>.png` is 16 px; Electron picks `tray-<state>@2x.png`
 * (32 px) by itself on high-density displays.
 * See https://www.electronjs.org/docs/latest/api/native-image#high-resolution-image
 */
function loadIcon(iconDir: string, state: TrayState): NativeImage {
  return nativeImage.createFromPath(join(iconDir, `tray-${state}.png`));
}

function toMenuItem(entry: TrayMenuEntry, run: (command: TrayCommand) => void): MenuItemConstructorOptions {
  switch (entry.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'item':
      return { label: entry.label, click: () => run(entry.command) };
    case 'check':
      return { type: 'checkbox', label: entry.label, checked: entry.checked, click: () => run(entry.command) };
    case 'site': {
      const { action } = entry;
      // Linux tray menus show no sublabels, so the user and expiry go into the label itself.
      return {
        label: `${entry.label}: ${entry.detail}`,
        submenu: [action === null ? { label: entry.detail, enabled: false } : { label: action.label, click: () => run(action.command) }],
      };
    }
  }
}

/** The tray icon and its menu, redrawn from the pure model (electron/common/tray-menu.ts) on every change. */
export class LatchkeyTray {
  readonly #tray: Tray;
  readonly #icons: Record<TrayState, NativeImage>;
  readonly #run: (command: TrayCommand) => void;
  #state: TrayState = 'ok';
  #model: TrayMenuEntry[] = [];

  constructor(iconDir: string, run: (command: TrayCommand) => void, onClick: () => void) {
    this.#icons = Object.fromEntries(states.map((state) => [state, loadIcon(iconDir, state)])) as Record<TrayState, NativeImage>;
    this.#run = run;
    this.#tray = new Tray(this.#icons.ok);
    // Windows and macOS report clicks on the icon; Linux (AppIndicator) only opens the menu.
    this.#tray.on('click', onClick);
  }

  /** The state and menu last drawn (read by the end-to-end tests through the test hook). */
  get snapshot(): { state: TrayState; model: TrayMenuEntry[] } {
    return { state: this.#state, model: this.#model };
  }

  /** Redraws the icon, tooltip and menu. */
  update(state: TrayState, tooltip: string, model: TrayMenuEntry[]): void {
    if (this.#tray.isDestroyed()) return;
    if (state !== this.#state) this.#tray.setImage(this.#icons[state]);
    this.#state = state;
    this.#model = model;
    this.#tray.setToolTip(tooltip);
    this.#tray.setContextMenu(Menu.buildFromTemplate(model.map((entry) => toMenuItem(entry, this.#run))));
  }

  destroy(): void {
    if (!this.#tray.isDestroyed()) this.#tray.destroy();
  }
}
