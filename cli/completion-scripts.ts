import { profileFieldKinds } from '../core/common/profile.ts';
import { presetList } from '../core/common/presets.ts';
import { helpOption } from './arguments.ts';
import type { Command, Completion, OptionSpec } from './command.ts';
import type { Verb } from './verbs.ts';

/** One command of the completion tree: its path (`token`, `sites add`) and its spec. */
export interface CompletionCommand {
  path: string;
  summary: string;
  command: Command<unknown>;
}

/** What the scripts complete: the verbs, the groups' verbs, and every command's options and operands. */
export interface CompletionTree {
  verbs: readonly Verb[];
  commands: readonly CompletionCommand[];
}

/** The shells `latchkey completion` writes for. */
export const completionShells = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type CompletionShell = (typeof completionShells)[number];

// Shell words here are names of verbs, options, presets and fields: letters, digits and dashes only,
// so none needs quoting; the check keeps it that way.
function word(text: string): string {
  if (!/^[A-Za-z0-9_.=-]+$/.test(text)) throw new TypeError(`not a plain word for a completion script: ${JSON.stringify(text)}`);
  return text;
}

const allOptions = (command: Command<unknown>): OptionSpec[] => [...command.options, helpOption];
const optionWords = (option: OptionSpec): string[] => [`--${option.name}`, ...(option.short === undefined ? [] : [`-${option.short}`])];

/** The candidates a value completion stands for: words, or a marker the shell's own completion answers. */
function valueWords(complete: Completion | undefined): string[] {
  if (complete === undefined) return [];
  if (typeof complete === 'object') return complete.choices.map(word);
  switch (complete) {
    case 'presets':
      return presetList.map((preset) => word(preset.name));
    case 'fields':
      return Object.keys(profileFieldKinds).map((field) => word(`${field}=`));
    case 'files':
      return [':files'];
    case 'commands':
      return [':commands'];
    case 'sites':
      return [':sites'];
  }
}

function groupCase(tree: CompletionTree): string {
  return tree.verbs
    .filter((verb) => verb.verbs !== undefined)
    .map((group) => {
      const cases = (group.verbs ?? []).map((verb) => `          ${[verb.name, ...(verb.aliases ?? [])].map(word).join('|')}) cmd="${word(group.name)} ${word(verb.name)}" ;;`);
      return `      ${word(group.name)})\n        case "$w" in\n${cases.join('\n')}\n        esac ;;`;
    })
    .join('\n');
}

/**
 * The candidate function shared by bash and zsh (zsh runs it as written: it uses no arrays but
 * "$@"). `_latchkey_candidates N WORD...` prints the candidates for the Nth word after `latchkey`,
 * one per line, or a marker (`:files`, `:commands`) for the shell's own completion. Site ids come
 * from `latchkey completion --sites`, which asks a running agent and never starts one.
 */
function candidateFunction(tree: CompletionTree): string {
  const valueOptions = tree.commands.flatMap(({ path, command }) =>
    allOptions(command).filter((option) => option.value !== undefined).flatMap((option) => optionWords(option).map((flag) => `"${path}|${word(flag)}"`)),
  );
  const valueCases = tree.commands.flatMap(({ path, command }) =>
    allOptions(command)
      .filter((option) => option.value !== undefined)
      .map((option) => {
        const words = valueWords(option.complete);
        const body = words.length === 0 ? ':' : words[0] === ':sites' ? 'latchkey completion --sites 2>/dev/null' : `printf '%s\\n' ${words.join(' ')}`;
        return `    ${optionWords(option).map((flag) => `"${path}|${word(flag)}"`).join('|')}) ${body}; return ;;`;
      }),
  );
  const optionCases = tree.commands.map(({ path, command }) => `      "${path}") printf '%s\\n' ${allOptions(command).flatMap((option) => [`--${word(option.name)}`]).join(' ')} ;;`);
  const operandCases = tree.commands.flatMap(({ path, command }) =>
    command.operands.map((operand, index) => {
      const words = valueWords(operand.complete);
      if (words.length === 0) return null;
      const body = words[0] === ':sites' ? 'latchkey completion --sites 2>/dev/null' : `printf '%s\\n' ${words.join(' ')}`;
      return `    "${path}|${index}") ${body} ;;`;
    }).filter((line): line is string => line !== null),
  );
  const takesCommand = tree.commands.filter(({ command }) => command.takesCommand === true).map(({ path }) => `"${path}"`);
  const groups = tree.verbs.filter((verb) => verb.verbs !== undefined);
  const groupListing = groups.map((group) => `    "${word(group.name)}") printf '%s\\n' ${(group.verbs ?? []).map((verb) => word(verb.name)).join(' ')} ;;`);
  return `_latchkey_candidates() {
  local n="$1" i=0 cmd="" prev="" cur="" w operands=0 dashdash=0 value=0
  shift
  for w in "$@"; do
    i=$((i + 1))
    if [ "$i" -eq "$n" ]; then cur="$w"; break; fi
    if [ "$dashdash" -eq 1 ]; then prev="$w"; continue; fi
    if [ "$value" -eq 1 ]; then value=0; prev="$w"; continue; fi
    case "$w" in
      --) dashdash=1 ;;
      -*=*) ;;
      -*) case "$cmd|$w" in ${valueOptions.length > 0 ? valueOptions.join('|') : '"-"'}) value=1 ;; esac ;;
      *)
        case "$cmd" in
      "") cmd="$w" ;;
${groupCase(tree)}
      *) operands=$((operands + 1)) ;;
        esac ;;
    esac
    prev="$w"
  done
  if [ "$dashdash" -eq 1 ]; then
    case "$cmd" in ${takesCommand.length > 0 ? takesCommand.join('|') : '"-"'}) echo :commands ;; esac
    return
  fi
  if [ "$value" -eq 1 ]; then
    case "$cmd|$prev" in
${valueCases.join('\n')}
    esac
    return
  fi
  case "$cur" in
    -*)
      case "$cmd" in
      "") printf '%s\\n' --help --version ;;
${optionCases.join('\n')}
      esac
      return ;;
  esac
  case "$cmd" in
    "") printf '%s\\n' ${tree.verbs.map((verb) => word(verb.name)).join(' ')}; return ;;
${groupListing.join('\n')}
  esac
  case "$cmd|$operands" in
${operandCases.join('\n')}
  esac
}`;
}

function bashScript(tree: CompletionTree): string {
  return `# bash completion for latchkey. Load it with: source <(latchkey completion bash)
${candidateFunction(tree)}

_latchkey() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n'
  local candidates=($(_latchkey_candidates "$COMP_CWORD" "\${COMP_WORDS[@]:1}"))
  case "\${candidates[0]}" in
    :files) COMPREPLY=($(compgen -f -- "$cur")) ;;
    :commands) COMPREPLY=($(compgen -c -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "\${candidates[*]}" -- "$cur")) ;;
  esac
}
complete -F _latchkey latchkey
`;
}

function zshScript(tree: CompletionTree): string {
  return `#compdef latchkey
# zsh completion for latchkey. Load it after compinit with: source <(latchkey completion zsh)
${candidateFunction(tree)}

_latchkey() {
  local -a candidates
  candidates=("\${(@f)$(_latchkey_candidates $((CURRENT - 1)) "\${(@)words[2,-1]}")}")
  case "\${candidates[1]}" in
    :files) _files ;;
    :commands) _command_names -e ;;
    *) compadd -- "\${(@)candidates:#}" ;;
  esac
}
compdef _latchkey latchkey
`;
}

function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function fishScript(tree: CompletionTree): string {
  const lines = [
    '# fish completion for latchkey. Load it with: latchkey completion fish | source',
    'function __latchkey_command',
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    '    set -l cmd ""',
    '    for w in $words',
    '        switch $w',
    '            case "-*"',
    '                continue',
    '        end',
    '        if test -z "$cmd"',
    '            set cmd $w',
    ...tree.verbs
      .filter((verb) => verb.verbs !== undefined)
      .flatMap((group) => [
        `        else if test "$cmd" = ${word(group.name)}; and contains -- $w ${(group.verbs ?? []).flatMap((verb) => [verb.name, ...(verb.aliases ?? [])]).map(word).join(' ')}`,
        `            set cmd "${word(group.name)} $w"`,
      ]),
    '        end',
    '    end',
    '    echo $cmd',
    'end',
    'function __latchkey_is',
    '    test (__latchkey_command) = "$argv[1]"',
    'end',
    'complete -c latchkey -f',
    `complete -c latchkey -n 'test -z (__latchkey_command)' -l help -s h -d 'show the help'`,
    `complete -c latchkey -n 'test -z (__latchkey_command)' -l version -s V -d "print Latchkey's version"`,
    ...tree.verbs.map((verb) => `complete -c latchkey -n 'test -z (__latchkey_command)' -a ${word(verb.name)} -d ${fishQuote(verb.summary)}`),
    ...tree.verbs
      .filter((verb) => verb.verbs !== undefined)
      .flatMap((group) => (group.verbs ?? []).map((verb) => `complete -c latchkey -n '__latchkey_is ${word(group.name)}' -a ${word(verb.name)} -d ${fishQuote(verb.summary)}`)),
  ];
  for (const { path, command } of tree.commands) {
    const when = `-n '__latchkey_is "${path}"'`;
    for (const option of allOptions(command)) {
      const short = option.short === undefined ? '' : ` -s ${word(option.short)}`;
      const words = valueWords(option.complete);
      let value = '';
      if (option.value !== undefined) {
        if (words[0] === ':files') value = ' -r -F';
        else if (words[0] === ':sites') value = " -x -a '(latchkey completion --sites 2>/dev/null)'";
        else value = words.length > 0 ? ` -x -a ${fishQuote(words.join(' '))}` : ' -x';
      }
      lines.push(`complete -c latchkey ${when} -l ${word(option.name)}${short}${value} -d ${fishQuote(option.description)}`);
    }
    if (command.operands[0]?.complete === 'sites') lines.push(`complete -c latchkey ${when} -a '(latchkey completion --sites 2>/dev/null)'`);
  }
  return lines.join('\n') + '\n';
}

function powershellScript(tree: CompletionTree): string {
  const groups = tree.verbs
    .filter((verb) => verb.verbs !== undefined)
    .map((group) => `  '${word(group.name)}' = @(${(group.verbs ?? []).flatMap((verb) => [verb.name, ...(verb.aliases ?? [])]).map((name) => `'${word(name)}'`).join(', ')})`);
  const options = tree.commands.map(({ path, command }) => `  '${path}' = @(${allOptions(command).map((option) => `'--${word(option.name)}'`).join(', ')})`);
  const siteCommands = tree.commands.filter(({ command }) => command.operands[0]?.complete === 'sites').map(({ path }) => `'${path}'`);
  return `# PowerShell completion for latchkey. Load it with: latchkey completion powershell | Out-String | Invoke-Expression
$latchkeyVerbs = @(${tree.verbs.map((verb) => `'${word(verb.name)}'`).join(', ')})
$latchkeyGroups = @{
${groups.join('\n')}
}
$latchkeyOptions = @{
${options.join('\n')}
}
$latchkeySiteCommands = @(${siteCommands.join(', ')})
Register-ArgumentCompleter -Native -CommandName latchkey -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
  $cmd = ''
  foreach ($w in $words) {
    if ($w.StartsWith('-')) { continue }
    if ($cmd -eq '') { $cmd = $w }
    elseif ($latchkeyGroups.ContainsKey($cmd) -and $latchkeyGroups[$cmd] -contains $w) { $cmd = "$cmd $w" }
  }
  $candidates = @()
  if ($wordToComplete.StartsWith('-')) { if ($latchkeyOptions.ContainsKey($cmd)) { $candidates = $latchkeyOptions[$cmd] } }
  elseif ($cmd -eq '') { $candidates = $latchkeyVerbs }
  elseif ($latchkeyGroups.ContainsKey($cmd)) { $candidates = $latchkeyGroups[$cmd] }
  elseif ($latchkeySiteCommands -contains $cmd) { $candidates = @(latchkey completion --sites 2>$null) }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell, tree: CompletionTree): string {
  switch (shell) {
    case 'bash':
      return bashScript(tree);
    case 'zsh':
      return zshScript(tree);
    case 'fish':
      return fishScript(tree);
    case 'powershell':
      return powershellScript(tree);
  }
}
