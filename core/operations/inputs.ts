import { z } from 'zod';
import type { OperationInputs, OperationName, OperationRequests, OperationResults } from '../common/operations.ts';

// The run-time check of every operation's input, for the transports that receive untrusted input
// (the agent API, the desktop IPC). The shapes are declared once, in core/common/operations.ts:
// each schema must produce exactly the declared input and accept every declared request, or this
// file fails to compile.

const siteId = z.string().min(1).max(64);
// Each profile field is checked by the engine against the preset's rules (core/sites/profile-schema.ts).
const profilePatch = z.record(z.string(), z.unknown());
const booleanText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((value) => value === true || value === 'true' || value === '1');
const seconds = z.coerce.number().int().min(0).max(3600);
const empty = z.object({}).strict();

/** Input schemas of every operation; `id` comes from the path, the rest from the query (GET) or the JSON body. */
export const operationInputs = {
  health: empty,
  status: empty,
  listSites: empty,
  addSite: z
    .object({
      url: z.string().max(2048),
      name: z.string().max(200).optional(),
      preset: z.string().max(64).optional(),
      profile: profilePatch.optional(),
      default: z.boolean().optional(),
    })
    .strict(),
  updateSite: z.object({ id: siteId, name: z.string().max(200).optional(), profile: profilePatch.optional() }).strict(),
  removeSite: z.object({ id: siteId }).strict(),
  setDefaultSite: z.object({ id: siteId }).strict(),
  getSession: z.object({ id: siteId, wait: seconds.default(0), prompt: booleanText.default(true) }).strict(),
  login: z.object({ id: siteId, force: z.boolean().default(false), timeout: seconds.optional() }).strict(),
  logout: z.object({ id: siteId }).strict(),
  logoutAll: empty,
  invalidate: z.object({ id: siteId }).strict(),
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
