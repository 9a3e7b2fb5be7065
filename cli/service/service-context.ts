import { resolve } from 'node:path';
import { homePaths, hostName, latchkeyHome } from '../../core/home.ts';
import { latchkeyBin } from '../latchkey-bin.ts';
import type { ServiceContext } from './service-entry.ts';

/** This machine's facts for the entry: this Node and this installation's bin script, the home when chosen. */
export function serviceContext(env: NodeJS.ProcessEnv): ServiceContext {
  const os = process.getBuiltinModule('node:os') as typeof import('node:os');
  const paths = homePaths(latchkeyHome(env), hostName(env));
  const user = os.userInfo();
  return {
    platform: process.platform,
    nodePath: process.execPath,
    binPath: latchkeyBin(),
    latchkeyHome: env['LATCHKEY_HOME'] ? resolve(env['LATCHKEY_HOME']) : null,
    latchkeyHost: env['LATCHKEY_HOST'] ? hostName(env) : null,
    outputPath: paths.agentOutput,
    userHome: os.homedir(),
    configHome: env['XDG_CONFIG_HOME'] || null,
    windowsUser: `${env['USERDOMAIN'] ?? os.hostname()}\\${user.username}`,
    windowsTaskDir: paths.hostDir,
    uid: user.uid,
  };
}

