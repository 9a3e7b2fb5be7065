import type { ReactNode } from 'react';
import { absoluteTime, relativeTime } from '../state/format-time.ts';

/** A time shown relative to now ("in 59 minutes"), with the date and time beside it or in its tooltip. */
export function TimeText({ iso, now, withAbsolute = false }: { iso: string; now: number; withAbsolute?: boolean }): ReactNode {
  const absolute = absoluteTime(iso);
  return (
    <>
      <time dateTime={iso} title={absolute}>
        {relativeTime(iso, now)}
      </time>
      {withAbsolute ? <span className="absolute-time"> ({absolute})</span> : null}
    </>
  );
}
