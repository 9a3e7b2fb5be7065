import type { ReactNode } from 'react';
import type { AgentStatus } from '../../core/common/views.ts';

const storageText: Record<AgentStatus['storage'], string> = {
  keychain: 'Sessions are encrypted with the system keychain.',
  keyring: 'Sessions are sealed with a key the system keyring keeps.',
  plaintext: 'Sessions are kept in a file only you can read.',
  memory: 'Sessions are kept in memory only.',
};

/** Where sessions rest, and the agent's version. */
export function AppFooter({ storage, note, version }: { storage: AgentStatus['storage'] | null; note: string | null; version: string | null }): ReactNode {
  if (storage === null) return null;
  return (
    <footer className="app-footer">
      {/* The agent's own note says why storage is not the keychain, when it is not. */}
      <p>{note ?? storageText[storage]}</p>
      {version === null ? null : <p className="muted">Latchkey {version}</p>}
    </footer>
  );
}
