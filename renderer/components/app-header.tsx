import type { ReactNode } from 'react';

/** The key mark beside the name (decorative: the heading says "Latchkey"). */
function Logo(): ReactNode {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" />
      <circle cx="12" cy="16" r="5.5" />
      <path d="M17.5 16h9M23 16v4M26.5 16v3" />
    </svg>
  );
}

/** The top bar: the name, and the action that concerns every site. */
export function AppHeader({ canLogoutAll, onLogoutAll }: { canLogoutAll: boolean; onLogoutAll: () => void }): ReactNode {
  return (
    <header className="app-header">
      <div className="brand">
        <Logo />
        <h1 className="brand-name">Latchkey</h1>
      </div>
      <button type="button" className="button" disabled={!canLogoutAll} onClick={onLogoutAll}>
        Log out of all
      </button>
    </header>
  );
}
