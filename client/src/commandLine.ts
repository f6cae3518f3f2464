// The command typed into "Linger: Trace a Command…" → the words `linger trace` runs (without a
// shell, so no quoting differs between bash, zsh and PowerShell). No vscode import: unit-tested.

/** Spaces separate words; single or double quotes group (`\"` inside double quotes); nothing else is special. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3]);
  return words;
}

const SHELL_WORDS = new Set(['|', '||', '&&', ';', '&', '>', '>>', '<', '2>', '2>&1']);

/** Why the words cannot run without a shell, for the input box; undefined when they can. */
export function commandProblem(words: readonly string[]): string | undefined {
  if (!words.length) return 'Type the command to trace';
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) return 'Variable assignments need a shell: use `env FOO=1 node …` or `sh -c "…"`';
  if (words.some((w) => SHELL_WORDS.has(w))) return 'Pipes, redirections and `&&` need a shell: use `sh -c "…"`';
  return undefined;
}
