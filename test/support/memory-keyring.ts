import type { KeyringAccess } from '../../core/sessions/keyring-vault.ts';

/** A keyring in memory; `fails` makes it answer as a locked or missing one does. */
export function memoryKeyring(fails = false): KeyringAccess & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const check = (): void => {
    if (fails) throw new Error('Couldn\'t access platform storage: locked');
  };
  return {
    items,
    get: (service, account) => (check(), items.get(`${service}/${account}`) ?? null),
    set: (service, account, secret) => (check(), void items.set(`${service}/${account}`, secret)),
    delete: (service, account) => (check(), items.delete(`${service}/${account}`)),
  };
}
