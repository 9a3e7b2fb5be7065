import type { ReactNode } from 'react';

/** Shown while there is no site: what to add, and how to try Latchkey without one. */
export function EmptyState(): ReactNode {
  return (
    <div className="empty-state">
      <p className="empty-title">No sites yet</p>
      <p>
        Add the site you log in to with single sign-on, and Latchkey hands its session to your scripts and tools.
      </p>
      <p>
        No site at hand? Try the demo lab: run <code>latchkey demo</code> in a terminal. It starts a small single sign-on lab on
        this computer and registers its site here.
      </p>
    </div>
  );
}
