import { requestLoopback } from '../lab/lab.ts';

/** One answer the browser received. */
export interface HttpPage {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A form of a page, as a browser would submit it. */
export interface HtmlForm {
  action: string;
  method: string;
  /** The named inputs with their values, in document order. */
  fields: Array<[string, string]>;
  buttons: Array<{ id: string | null; name: string | null; value: string }>;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return entities[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
    const name = match[1]?.toLowerCase();
    if (name !== undefined && !found.has(name)) found.set(name, unescapeHtml(match[2] ?? ''));
  }
  return found;
}

/** The forms of a page the lab or oidc-provider wrote (plain markup, double-quoted attributes). */
export function parseForms(page: HttpPage): HtmlForm[] {
  return [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const form = attributes(match[1] ?? '');
    const inner = match[2] ?? '';
    const fields: Array<[string, string]> = [];
    for (const input of inner.matchAll(/<input\b([^>]*)>/g)) {
      const attrs = attributes(input[1] ?? '');
      const name = attrs.get('name');
      if (name !== undefined) fields.push([name, attrs.get('value') ?? '']);
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>/g)].map((button) => {
      const attrs = attributes(button[1] ?? '');
      return { id: attrs.get('id') ?? null, name: attrs.get('name') ?? null, value: attrs.get('value') ?? '' };
    });
    return { action: new URL(form.get('action') ?? '', page.url).href, method: (form.get('method') ?? 'get').toUpperCase(), fields, buttons };
  });
}

function isLabHost(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
}

/**
 * A browser made of plain HTTP requests for lab tests that need no Chromium: it keeps cookies per
 * host (ignoring their paths, which the lab's flows do not depend on), follows redirects within
 * the lab, and submits forms. Node reaches the `*.localhost` hosts through `requestLoopback`.
 */
export class HttpBrowser {
  /** Host → cookie name → value. */
  readonly #cookies = new Map<string, Map<string, string>>();
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  /** The cookie `name` the browser holds for `url`'s host. */
  cookie(url: string, name: string): string | undefined {
    return this.#cookies.get(new URL(url).hostname)?.get(name);
  }

  /**
   * Requests `url` and follows redirects (at most 20) to the page that stays. A redirect out of
   * the lab's `*.localhost` hosts (to a desktop tool's loopback listener, say) is returned as it
   * is, for the test to read its `location`.
   */
  async open(url: string, init: { method?: string; form?: Array<[string, string]> } = {}): Promise<HttpPage> {
    let page = await this.#request(url, init.method ?? 'GET', init.form);
    for (let hops = 0; page.status >= 300 && page.status < 400 && typeof page.headers.location === 'string'; hops += 1) {
      const next = new URL(page.headers.location, page.url);
      if (!isLabHost(next)) break;
      if (hops === 20) throw new Error(`too many redirects from ${url}`);
      // 307 and 308 repeat the request as it was; the others turn it into a GET (RFC 9110 section 15.4).
      const keep = page.status === 307 || page.status === 308;
      page = await this.#request(next.href, keep ? (init.method ?? 'GET') : 'GET', keep ? init.form : undefined);
    }
    return page;
  }

  /**
   * Submits the form of `page` that holds the button with id `buttonId` (else the page's only
   * form), as a click on that button would: the button's own name and value go with the fields.
   */
  async submit(page: HttpPage, options: { buttonId?: string; fields?: Record<string, string> } = {}): Promise<HttpPage> {
    const forms = parseForms(page);
    const form = options.buttonId === undefined ? forms[0] : forms.find((candidate) => candidate.buttons.some((b) => b.id === options.buttonId));
    if (form === undefined || (options.buttonId === undefined && forms.length !== 1)) throw new Error(`no such form on ${page.url}: ${page.body}`);
    const fields = form.fields.map(([name, value]): [string, string] => [name, options.fields?.[name] ?? value]);
    for (const [name, value] of Object.entries(options.fields ?? {})) if (!fields.some(([field]) => field === name)) fields.push([name, value]);
    const button = form.buttons.find((b) => b.id === options.buttonId);
    if (button?.name !== null && button?.name !== undefined) fields.push([button.name, button.value]);
    return this.open(form.action, { method: form.method, form: fields });
  }

  async #request(url: string, method: string, form: Array<[string, string]> | undefined): Promise<HttpPage> {
    this.visited.push(url);
    const host = new URL(url).hostname;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    this.#cookies.set(host, jar);
    const headers: Record<string, string> = { accept: 'text/html' };
    if (jar.size > 0) headers['cookie'] = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const answer = await requestLoopback(url, { method, headers, body: form === undefined ? undefined : new URLSearchParams(form).toString() });
    const setCookies = answer.headers['set-cookie'] ?? [];
    for (const line of Array.isArray(setCookies) ? setCookies : [setCookies]) {
      const [pair = '', ...parameters] = line.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const expired = parameters.some((parameter) => {
        const [key = '', value = ''] = parameter.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        return key.toLowerCase() === 'expires' && Date.parse(value) <= Date.now();
      });
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(equals + 1).trim());
    }
    return { url, ...answer };
  }
}
