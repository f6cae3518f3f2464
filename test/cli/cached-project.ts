// The project the --cache tests audit (cache.test.ts, replay.test.ts): main leaks a socket unless the
// helper it imports closes it (CLOSES; KEEPS does not), other leaks one of its own.
import { workspace } from '../robustness/helpers';

export const CLOSES = "import * as net from 'net';\nexport function finish(s: net.Socket) {\n  s.destroy();\n}\n";
export const KEEPS = "import * as net from 'net';\nexport function finish(s: net.Socket) {\n  console.log(s.remotePort);\n}\n";
export const MAIN = "import * as net from 'net';\nimport { finish } from './helper';\nexport function main() {\n  const s = net.connect(1);\n  s.write('x');\n  finish(s);\n}\n";
export const OTHER = "import * as net from 'net';\nexport function other() {\n  const s = net.connect(2);\n  s.write('y');\n}\n";

/** src/helper.ts (CLOSES), src/main.ts, src/other.ts and `sources`, under a tsconfig that includes src. */
export function cachedProject(name: string, sources: Record<string, string>): string {
  return workspace({
    'package.json': JSON.stringify({ name, private: true }),
    'tsconfig.json': '{"compilerOptions":{"strict":true},"include":["src"]}',
    'src/helper.ts': CLOSES, 'src/main.ts': MAIN, 'src/other.ts': OTHER, ...sources,
  }, `linger-${name}-`);
}
