/** One person the lab's identity provider knows. */
export interface LabAccount {
  /** Login name, typed in the form and used as the OpenID `sub`. */
  login: string;
  password: string;
  displayName: string;
  /** The site's numeric user id, as in ShotGrid's `shotgun_sso_session_expiration_u<ID>` cookie. */
  userId: number;
  /** The `email` claim; CloudShell finds its user by it. */
  email: string;
}

/** Everything a person or a test needs to sign in to the lab. */
export interface LabAccounts {
  users: readonly LabAccount[];
  /** The one code the one-time-code step accepts (lab option `otp`). */
  otpCode: string;
}

// `user name` and `user+name` exist so that tests see a login whose cookie form is URL-encoded
// (`user%20name`, `user%2Bname`): a client that forgets to decode it, or decodes `+` as a space,
// shows the wrong user.
/** The lab's fixed accounts and one-time code. */
export const labAccounts: LabAccounts = {
  users: [
    { login: 'ada', password: 'lovelace', displayName: 'Ada Lovelace', userId: 42, email: 'ada@lab.example' },
    { login: 'user name', password: 'spaced out', displayName: 'User With A Space', userId: 43, email: 'user.name@lab.example' },
    { login: 'user+name', password: 'plus sign', displayName: 'User With A Plus', userId: 44, email: 'user+name@lab.example' },
  ],
  otpCode: '123456',
};

/** The account with this exact login name, if any. */
export function findAccount(login: string): LabAccount | undefined {
  return labAccounts.users.find((account) => account.login === login);
}

/** The account when the login name and password both match exactly; otherwise undefined. */
export function checkPassword(login: string, password: string): LabAccount | undefined {
  const account = findAccount(login);
  return account !== undefined && account.password === password ? account : undefined;
}

/** The account with this exact email address, if any. */
export function findAccountByEmail(email: string): LabAccount | undefined {
  return labAccounts.users.find((account) => account.email === email);
}
