import type { ReactNode } from 'react';
import type { SiteView } from '../../core/common/views.ts';
import type { UiError } from '../state/field-errors.ts';
import type { LoginPrompt } from '../state/login-prompt.ts';
import { SiteItem, type SiteActions } from './site-item.tsx';

/** The sites, the default first, then by name. */
export function SiteList(props: {
  sites: SiteView[];
  now: number;
  errors: Readonly<Record<string, UiError>>;
  prompts: ReadonlyMap<string, LoginPrompt>;
  actions: SiteActions;
}): ReactNode {
  const sorted = [...props.sites].sort((a, b) => Number(b.default) - Number(a.default) || a.name.localeCompare(b.name));
  return (
    <ul className="site-list">
      {sorted.map((site) => (
        <SiteItem key={site.id} site={site} now={props.now} error={props.errors[site.id] ?? null} prompt={props.prompts.get(site.id) ?? null} actions={props.actions} />
      ))}
    </ul>
  );
}
