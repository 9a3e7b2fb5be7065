import { posix, win32 } from 'node:path';

// What registers the agent to start at login on each platform, as data: the file, its text, and
// the service manager's commands. Pure, with the platform injected, so all three are tested here.
//
// - Linux: a systemd user unit (`systemctl --user`), the manager every desktop distribution runs
//   for the user; it restarts the agent when it fails and `systemctl --user status` shows it. Tied
//   to graphical-session.target: a session without it still gets an agent on demand.
// - macOS: a launchd LaunchAgent in ~/Library/LaunchAgents, loaded into the user's GUI session
//   (`launchctl bootstrap gui/UID`), so login windows can open.
// - Windows: a per-user scheduled task with a logon trigger, created from a task definition by
//   `schtasks`. Not a Startup-folder entry: that must be a shortcut (a binary .lnk, written through
//   a COM call) or a script; the task needs no administrator, restarts the agent when it fails, and
//   `schtasks /Query` reports it.

/** The platform facts an entry is made from. */
export interface ServiceContext {
  platform: NodeJS.Platform;
  /** The Node that runs the agent, and Latchkey's bin script. */
  nodePath: string;
  binPath: string;
  /** The Latchkey home to serve, when it is not the default one (`LATCHKEY_HOME`). */
  latchkeyHome: string | null;
  /** LATCHKEY_HOST when set: the agent it starts must find this host's folder as the commands do. */
  latchkeyHost: string | null;
  /** Where the agent's output goes (macOS; the others keep it in their journal or nowhere). */
  outputPath: string;
  /** The user's own home folder, `XDG_CONFIG_HOME`, and on Windows `DOMAIN\user` and the folder for the task file. */
  userHome: string;
  configHome: string | null;
  windowsUser: string;
  windowsTaskDir: string;
  /** The user's id (macOS: the GUI session's domain). */
  uid: number;
}

/** One registration: where its file goes, what it holds, and how the service manager takes it up and lets it go. */
export interface ServiceEntry {
  /** What the entry is, for messages ("a systemd user unit"). */
  kind: string;
  path: string;
  content: string | Buffer;
  /** Run in order after the file is written. */
  enable: string[][];
  /** Run in order before the file is removed. */
  disable: string[][];
  /** Asks the service manager about the entry. */
  status: string[];
}

export const systemdUnitName = 'latchkey-agent.service';
export const launchdLabel = 'dev.latchkey.agent';
export const windowsTaskName = 'Latchkey agent';

/** The agent's arguments after the bin script: `agent run`, with the home and the host name when they are not the defaults. */
function agentArgs(context: ServiceContext): string[] {
  return ['agent', 'run', ...(context.latchkeyHome === null ? [] : ['--home', context.latchkeyHome]), ...(context.latchkeyHost === null ? [] : ['--host', context.latchkeyHost])];
}

/**
 * A systemd word: quoted, with `\`, `"` and a line break escaped, `%` (a specifier) and `$` (a
 * variable) doubled (systemd.service(5), "Command lines"; systemd.unit(5), "Specifiers").
 */
function systemdWord(word: string): string {
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

function systemdUnit(context: ServiceContext): string {
  const command = [context.nodePath, context.binPath, ...agentArgs(context)].map(systemdWord).join(' ');
  return [
    '[Unit]',
    'Description=Latchkey agent: single sign-on sessions for local scripts and tools',
    // With the desktop session, whose display variables the login windows need (GNOME and KDE
    // import them into the user manager when the session starts).
    'PartOf=graphical-session.target',
    'After=graphical-session.target',
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${command}`,
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=graphical-session.target',
    '',
  ].join('\n');
}

/** Text for XML: the five characters with a meaning there escaped. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function launchdPlist(context: ServiceContext): string {
  const strings = (values: string[]): string => values.map((value) => `    <string>${xmlText(value)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${launchdLabel}</string>
  <key>ProgramArguments</key>
  <array>
${strings([context.nodePath, context.binPath, ...agentArgs(context)])}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ProcessType</key>
  <string>Interactive</string>
  <key>StandardOutPath</key>
  <string>${xmlText(context.outputPath)}</string>
  <key>StandardErrorPath</key>
  <string>${xmlText(context.outputPath)}</string>
</dict>
</plist>
`;
}

/** A command-line argument as Windows programs read it (CommandLineToArgvW): quoted, with quotes and the backslashes before them doubled. */
export function windowsArgument(argument: string): string {
  if (argument !== '' && !/[\s"]/.test(argument)) return argument;
  return `"${argument.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/** A task definition (Task Scheduler schema 1.2), in UTF-16 with its byte order mark, as `schtasks /XML` reads it. */
function windowsTask(context: ServiceContext): Buffer {
  const user = xmlText(context.windowsUser);
  const xml = `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>Latchkey agent: single sign-on sessions for local scripts and tools</Description>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
      <UserId>${user}</UserId>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${user}</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>3</Count>
    </RestartOnFailure>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlText(context.nodePath)}</Command>
      <Arguments>${xmlText([context.binPath, ...agentArgs(context)].map(windowsArgument).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace(/\n/g, '\r\n'), 'utf16le')]);
}

/** The entry that starts the agent at login on `context.platform`; null where none is known. */
export function serviceEntry(context: ServiceContext): ServiceEntry | null {
  switch (context.platform) {
    case 'linux': {
      const configHome = context.configHome || posix.join(context.userHome, '.config');
      return {
        kind: 'a systemd user unit',
        path: posix.join(configHome, 'systemd', 'user', systemdUnitName),
        content: systemdUnit(context),
        enable: [
          ['systemctl', '--user', 'daemon-reload'],
          ['systemctl', '--user', 'enable', '--now', systemdUnitName],
        ],
        disable: [['systemctl', '--user', 'disable', '--now', systemdUnitName]],
        status: ['systemctl', '--user', 'is-enabled', systemdUnitName],
      };
    }
    case 'darwin':
      return {
        kind: 'a launchd LaunchAgent',
        path: posix.join(context.userHome, 'Library', 'LaunchAgents', `${launchdLabel}.plist`),
        content: launchdPlist(context),
        enable: [['launchctl', 'bootstrap', `gui/${context.uid}`, posix.join(context.userHome, 'Library', 'LaunchAgents', `${launchdLabel}.plist`)]],
        disable: [['launchctl', 'bootout', `gui/${context.uid}/${launchdLabel}`]],
        status: ['launchctl', 'print', `gui/${context.uid}/${launchdLabel}`],
      };
    case 'win32': {
      const path = win32.join(context.windowsTaskDir, 'latchkey-agent-task.xml');
      return {
        kind: 'a scheduled task at logon',
        path,
        content: windowsTask(context),
        enable: [
          ['schtasks', '/Create', '/TN', windowsTaskName, '/XML', path, '/F'],
          ['schtasks', '/Run', '/TN', windowsTaskName],
        ],
        disable: [['schtasks', '/Delete', '/TN', windowsTaskName, '/F']],
        status: ['schtasks', '/Query', '/TN', windowsTaskName],
      };
    }
    default:
      return null;
  }
}
