// What a CLI command may touch of its process: output streams, the current folder, the environment.
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY?: boolean;
  /** The environment (NO_COLOR, FORCE_COLOR, TERM). */
  env?: Record<string, string | undefined>;
}
