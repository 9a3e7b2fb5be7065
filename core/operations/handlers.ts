import type { SessionService } from '../sessions/session-service.ts';
import type { SiteRegistry } from '../sites/site-registry.ts';
import { changedCaptureFields, type LoginProfile } from '../common/profile.ts';
import type { Site } from '../sites/site.ts';
import type { AgentEvent, AgentStatus, SiteView } from '../common/views.ts';
import type { OperationHandlers } from './inputs.ts';

/** What the operations work on. */
export interface HandlerDeps {
  registry: SiteRegistry;
  sessions: SessionService;
  version: string;
  storage: AgentStatus['storage'];
  storageNote: string | null;
  /** Receives `sites` events (session events come from the session service). */
  emit: (event: AgentEvent) => void;
}

/** The implementation of every operation: the agent API, the desktop IPC and the CLI all call these. */
export function createHandlers(deps: HandlerDeps): OperationHandlers {
  const { registry, sessions } = deps;
  const view = (site: Site): SiteView => ({
    id: site.id,
    name: site.name,
    url: site.url,
    default: site.default,
    profile: site.profile,
    session: sessions.summary(site),
    loggingIn: sessions.isLoggingIn(site.id),
  });
  const views = (): SiteView[] => registry.list().map(view);
  const sitesChanged = (): void => deps.emit({ type: 'sites', sites: views() });

  // Another host's agent changed the shared site list (a home on NFS): this host's sessions follow
  // the same rules as a change made here. A site gone, or whose capture changed, loses its session.
  registry.onChangedElsewhere((before, after) => {
    queueMicrotask(() => {
      for (const old of before) {
        const now = after.find((site) => site.id === old.id);
        if (now === undefined || changedCaptureFields(old.profile, now.profile).length > 0) void sessions.logout(old).catch(() => undefined);
      }
      sitesChanged();
    });
  });

  return {
    health: async () => ({ ok: true, version: deps.version, pid: process.pid }),
    status: async () => ({ version: deps.version, pid: process.pid, storage: deps.storage, storageNote: deps.storageNote, sites: views() }),
    listSites: async () => views(),
    addSite: async (input) => {
      const site = registry.add({
        url: input.url,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.preset === undefined ? {} : { preset: input.preset }),
        ...(input.profile === undefined ? {} : { profile: input.profile as Partial<LoginProfile> }),
        ...(input.default === undefined ? {} : { default: input.default }),
      });
      sitesChanged();
      return view(site);
    },
    updateSite: async (input) => {
      const before = registry.find(input.id);
      const site = registry.update(before.id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.profile === undefined ? {} : { profile: input.profile as Partial<LoginProfile> }),
      });
      // What a login captures changed: the session captured the old way, and the identity
      // provider's session that would renew it silently, both end (profileFieldRoles).
      if (changedCaptureFields(before.profile, site.profile).length > 0) await sessions.logout(before);
      sitesChanged();
      return view(registry.find(site.id));
    },
    removeSite: async (input) => {
      const site = registry.find(input.id);
      await sessions.logout(site);
      registry.remove(site.id);
      sitesChanged();
      return { removed: site.id };
    },
    setDefaultSite: async (input) => {
      const site = registry.setDefault(input.id);
      sitesChanged();
      return view(site);
    },
    getSession: async (input, caller) =>
      sessions.acquire(registry.find(input.id), {
        waitMs: input.wait * 1000,
        prompt: input.prompt,
        client: caller.client,
        ...(caller.signal ? { signal: caller.signal } : {}),
      }),
    login: async (input) => {
      const site = registry.find(input.id);
      await sessions.login(site, {
        force: input.force,
        ...(input.timeout === undefined ? {} : { timeoutMs: input.timeout * 1000 }),
        ...(input.browser === undefined ? {} : { browser: input.browser }),
      });
      return view(site);
    },
    logout: async (input) => {
      const site = registry.find(input.id);
      const report = await sessions.logout(site, { everywhere: input.everywhere === true });
      return { site: view(site), report };
    },
    logoutAll: async (input) => {
      const sites = registry.list();
      const reports = [];
      for (const site of sites) reports.push(await sessions.logout(site, { everywhere: input.everywhere === true }));
      return { sites: sites.map((site) => site.id), reports };
    },
    invalidate: async (input) => {
      const site = registry.find(input.id);
      sessions.invalidate(site);
      return view(site);
    },
    activity: async () => sessions.activity(),
  };
}
