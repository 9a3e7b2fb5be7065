import type { ReactNode } from 'react';

/** The page opened without `latchkey ui` (no Bridge and no UI key): how to open it properly. */
export function NotConnected(): ReactNode {
  return (
    <main className="not-connected">
      <h1>Latchkey</h1>
      <p>This page is not connected to a Latchkey agent.</p>
      <p>
        Run <code>latchkey ui</code> in a terminal: it opens the UI with a one-time link.
      </p>
    </main>
  );
}
