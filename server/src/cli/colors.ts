// Whether the text report is coloured. The order is Node's own (tty.getColorDepth): an explicit
// --color/--no-color, then FORCE_COLOR ("0" or "false" turns colours off, any other value on), then
// NO_COLOR (any non-empty value turns them off, https://no-color.org), then whether stdout is a
// terminal that is not TERM=dumb. A report written to --output is plain unless forced.
export interface ColorEnv {
  flag?: boolean;
  env: Record<string, string | undefined>;
  isTTY: boolean;
  toFile: boolean;
}

export function useColor({ flag, env, isTTY, toFile }: ColorEnv): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (toFile) return false;
  return isTTY && env.TERM !== 'dumb';
}
