/**
 * A site's session state (DESIGN.md section 4). In a file of its own, with no imports, so that the
 * renderer can type-check the operations contract without pulling in Node-only modules.
 */
export type SessionState = 'valid' | 'expired' | 'invalid' | 'none';
