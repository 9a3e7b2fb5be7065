import * as z from 'zod/mini';
import '../validation.ts';
import type { OperationInputs, OperationName, OperationRequests, OperationResults } from '../common/operations.ts';

// The run-time check of every operation's input, for the transports that receive untrusted input
// (the agent API, the desktop IPC). The shapes are declared once, in core/common/operations.ts:
// each schema must produce exactly the declared input and accept every declared request, or this
// file fails to compile.

const siteId = z.string().check(z.minLength(1), z.maxLength(64));
// Each profile field is checked by the engine against the preset's rules (core/sites/profile-schema.ts).
const profilePatch = z.record(z.string(), z.unknown());
const booleanText = z.pipe(
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]),
  z.transform((value: boolean | 'true' | 'false' | '1' | '0') => value === true || value === 'true' || value === '1'),
);
const seconds = z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3600));
const empty = z.strictObject({});

/** Input schemas of every operation; `id` comes from the path, the rest from the query (GET) or the JSON body. */
export const operationInputs = {
  health: empty,
  status: empty,
  listSites: empty,
  addSite: z.strictObject({
    url: z.string().check(z.maxLength(2048)),
    name: z.optional(z.string().check(z.maxLength(200))),
    preset: z.optional(z.string().check(z.maxLength(64))),
    profile: z.optional(profilePatch),
    default: z.optional(z.boolean()),
  }),
  updateSite: z.strictObject({ id: siteId, name: z.optional(z.string().check(z.maxLength(200))), profile: z.optional(profilePatch) }),
  removeSite: z.strictObject({ id: siteId }),
  setDefaultSite: z.strictObject({ id: siteId }),
  getSession: z.strictObject({ id: siteId, wait: z._default(seconds, 0), prompt: z._default(booleanText, true) }),
  login: z.strictObject({ id: siteId, force: z._default(z.boolean(), false), timeout: z.optional(seconds), browser: z.optional(z.enum(['embedded', 'system', 'device'])) }),
  logout: z.strictObject({ id: siteId, everywhere: z.optional(z.boolean()) }),
  logoutAll: z.strictObject({ everywhere: z.optional(z.boolean()) }),
  invalidate: z.strictObject({ id: siteId }),
  activity: empty,
} as const;

type Checked<N extends OperationName> = z.output<(typeof operationInputs)[N]>;
type Declared<N extends OperationName> = OperationInputs[N];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time proof that the schemas and the declared shapes agree, both ways. */
const schemasMatchDeclaration: { [N in OperationName]: [Same<Checked<N>, Declared<N>>, OperationRequests[N] extends z.input<(typeof operationInputs)[N]> ? true : false] } = {
  health: [true, true],
  status: [true, true],
  listSites: [true, true],
  addSite: [true, true],
  updateSite: [true, true],
  removeSite: [true, true],
  setDefaultSite: [true, true],
  getSession: [true, true],
  login: [true, true],
  logout: [true, true],
  logoutAll: [true, true],
  invalidate: [true, true],
  activity: [true, true],
};
void schemasMatchDeclaration;

/** Who is calling: the client's self-chosen name (`X-Latchkey-Client`), for the activity record. */
export interface Caller {
  client: string | null;
  /** Aborted when the caller goes away (its connection closed), so waiting stops. */
  signal?: AbortSignal;
}

/** The implementation of every operation, called by every shell. */
export type OperationHandlers = {
  [N in OperationName]: (input: OperationInputs[N], caller: Caller) => Promise<OperationResults[N]>;
};
