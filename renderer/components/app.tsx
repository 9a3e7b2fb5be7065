import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Bridge, OperationRequests, OperationResults, UiOperationName } from '../../core/common/operations.ts';
import { loginBrowser } from '../../core/common/profile.ts';
import type { SiteView } from '../../core/common/views.ts';
import type { UiError } from '../state/field-errors.ts';
import { browserInSentence } from '../state/login-browsers.ts';
import { useAgent } from '../state/use-agent.ts';
import { useNow } from '../state/use-now.ts';
import { ActivityList } from './activity-list.tsx';
import { AddSiteForm } from './add-site-form.tsx';
import { AppFooter } from './app-footer.tsx';
import { AppHeader } from './app-header.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ConnectionBanner, useConnection } from './connection-banner.tsx';
import { EditSiteDialog } from './edit-site-dialog.tsx';
import { EmptyState } from './empty-state.tsx';
import type { SiteActions } from './site-item.tsx';
import { SiteList } from './site-list.tsx';

type OpenDialog = { kind: 'edit'; site: SiteView } | { kind: 'remove'; site: SiteView } | { kind: 'logoutAll' } | null;

// A login that ran and ended badly is announced by its `finished` event; these errors repeat it.
const announcedByEvents = new Set(['login_cancelled', 'login_failed', 'login_timeout']);

/** The sentence announced when a site was edited from `before` to `after`. */
function editedText(before: SiteView, after: SiteView): string {
  const renamed = before.name === after.name ? [] : [`Renamed ${before.name} to ${after.name}.`];
  const browser = loginBrowser(after.profile);
  const moved = loginBrowser(before.profile) === browser ? [] : [`${after.name} now logs in with ${browserInSentence[browser]}.`];
  const said = [...renamed, ...moved];
  return said.length === 0 ? `Saved ${after.name}.` : said.join(' ');
}

/** The whole UI over one Bridge: sites, adding a site, recent activity, and the dialogs. */
export function App({ bridge }: { bridge: Bridge }): ReactNode {
  const [announcement, setAnnouncement] = useState({ text: '', serial: 0 });
  const announce = useCallback((text: string) => setAnnouncement((last) => ({ text, serial: last.serial + 1 })), []);
  const { state, dispatch } = useAgent(bridge, announce);
  const connection = useConnection(bridge);
  const now = useNow();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [siteErrors, setSiteErrors] = useState<Readonly<Record<string, UiError>>>({});

  const setSiteError = useCallback((id: string, error: UiError | null) => {
    setSiteErrors((errors) => {
      const { [id]: _old, ...rest } = errors;
      return error === null ? rest : { ...rest, [id]: error };
    });
  }, []);

  const actions = useMemo<SiteActions>(() => {
    /** Runs a call about `site`; its error is shown on the site's row and announced. */
    const run = async <N extends UiOperationName>(site: SiteView, name: N, request: OperationRequests[N], done: (value: OperationResults[N]) => void): Promise<void> => {
      setSiteError(site.id, null);
      const result = await bridge.call(name, request);
      if (result.ok) {
        done(result.value);
        return;
      }
      setSiteError(site.id, result.error);
      if (!announcedByEvents.has(result.error.code)) announce(result.error.message);
    };
    return {
      login: (site) => run(site, 'login', { id: site.id }, (value) => dispatch({ type: 'site', site: value })),
      logout: (site) =>
        run(site, 'logout', { id: site.id }, (value) => {
          dispatch({ type: 'site', site: value.site });
          const notEnded = value.report.steps.filter((step) => !step.ok).length;
          announce(notEnded === 0 ? `Logged out of ${site.name}.` : `Logged out of ${site.name} on this machine; ${notEnded === 1 ? 'one step' : `${notEnded} steps`} could not be done at the site or its identity provider.`);
        }),
      makeDefault: (site) =>
        run(site, 'setDefaultSite', { id: site.id }, (value) => {
          dispatch({ type: 'site', site: value });
          announce(`${site.name} is now the default site.`);
          // Its "Make default" button is gone: the focus goes to the site it was about.
          requestAnimationFrame(() => document.getElementById(`site-${site.id}-name`)?.focus());
        }),
      edit: (site) => setDialog({ kind: 'edit', site }),
      remove: (site) => setDialog({ kind: 'remove', site }),
    };
  }, [bridge, dispatch, announce, setSiteError]);

  const closeDialog = (): void => setDialog(null);
  const loggedInAnywhere = state.sites.some((site) => site.session.state !== 'none');

  return (
    <div className="app">
      <AppHeader canLogoutAll={loggedInAnywhere} onLogoutAll={() => setDialog({ kind: 'logoutAll' })} />
      <ConnectionBanner state={connection} />
      <p className="announcer" role="status">
        <span key={announcement.serial}>{announcement.text}</span>
      </p>
      <main className="layout">
        <section className="card sites-card" aria-labelledby="main-heading">
          <div className="card-head">
            <h2 id="main-heading" tabIndex={-1}>
              Sites
            </h2>
          </div>
          {state.loadError !== null ? (
            <p className="form-error" role="alert">
              {state.loadError}
            </p>
          ) : !state.loaded ? (
            <p className="muted">Loading…</p>
          ) : state.sites.length === 0 ? (
            <EmptyState />
          ) : (
            <SiteList sites={state.sites} now={now} errors={siteErrors} prompts={state.loginPrompts} actions={actions} />
          )}
        </section>
        <div className="side">
          <section className="card" aria-labelledby="add-heading">
            <h2 id="add-heading">Add a site</h2>
            <AddSiteForm
              onAdd={async (request) => {
                const result = await bridge.call('addSite', request);
                if (result.ok) {
                  dispatch({ type: 'site', site: result.value });
                  announce(`Added ${result.value.name}.`);
                }
                return result;
              }}
            />
          </section>
          <section className="card" aria-labelledby="activity-heading">
            <h2 id="activity-heading">Recent activity</h2>
            <ActivityList entries={state.activity} sites={state.sites} now={now} />
          </section>
        </div>
      </main>
      <AppFooter storage={state.storage} note={state.storageNote} version={state.version} />

      {dialog?.kind === 'edit' ? (
        <EditSiteDialog
          site={dialog.site}
          onDismiss={closeDialog}
          onSave={async (edit) => {
            const { site } = dialog;
            const result = await bridge.call('updateSite', { id: site.id, ...edit });
            if (result.ok) {
              dispatch({ type: 'site', site: result.value });
              announce(editedText(site, result.value));
              closeDialog();
            }
            return result;
          }}
        />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${dialog.site.name}?`}
          confirmLabel="Remove site"
          onDismiss={closeDialog}
          onConfirm={async () => {
            const { site } = dialog;
            const result = await bridge.call('removeSite', { id: site.id });
            closeDialog();
            if (result.ok) {
              dispatch({ type: 'removed', id: site.id });
              announce(`Removed ${site.name}.`);
            } else {
              setSiteError(site.id, result.error);
              announce(result.error.message);
            }
          }}
        >
          <p>
            Latchkey logs out of <strong>{dialog.site.url}</strong> and forgets the site. Scripts that use it stop working until it is added
            again.
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === 'logoutAll' ? (
        <ConfirmDialog
          title="Log out of all sites?"
          confirmLabel="Log out of all"
          onDismiss={closeDialog}
          onConfirm={async () => {
            const result = await bridge.call('logoutAll', {});
            if (result.ok) {
              const sites = await bridge.call('listSites', {});
              if (sites.ok) dispatch({ type: 'event', event: { type: 'sites', sites: sites.value } });
            }
            closeDialog();
            announce(result.ok ? 'Logged out of every site.' : result.error.message);
          }}
        >
          <p>Latchkey ends the session of every site. Scripts that need one will wait until you log in again.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
