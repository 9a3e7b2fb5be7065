import type { ReactNode } from 'react';
import type { ActivityEntry, SiteView } from '../../core/common/views.ts';
import { TimeText } from './time-text.tsx';

/** Which client got which site's session, and when, newest first. */
export function ActivityList({ entries, sites, now }: { entries: ActivityEntry[]; sites: SiteView[]; now: number }): ReactNode {
  if (entries.length === 0) {
    return (
      <p className="muted">
        No program has asked for a session yet. When a script runs <code>latchkey token</code> or <code>latchkey exec</code>, it shows
        up here.
      </p>
    );
  }
  const names = new Map(sites.map((site) => [site.id, site.name]));
  return (
    <ol className="activity-list">
      {entries.map((entry, index) => (
        <li key={`${entry.time}-${entry.site}-${index}`} className="activity-item">
          <p className="activity-text">
            {entry.client === null ? <span className="client client-unnamed">An unnamed client</span> : <span className="client">{entry.client}</span>}
            {' got the session of '}
            <strong>{names.get(entry.site) ?? entry.site}</strong>
          </p>
          <p className="activity-time">
            {/* An entry has happened already: a clock refreshed a few seconds ago must not call it future. */}
            <TimeText iso={entry.time} now={Math.max(now, Date.parse(entry.time))} withAbsolute />
          </p>
        </li>
      ))}
    </ol>
  );
}
