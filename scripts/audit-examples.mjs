// `npm run audit`: the quick-start demo. Audits the bundled examples/ and exits 0 when the audit ran,
// whether or not it found problems (they are the point of the demo); exit 2 (usage, config, crash) fails.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [join(root, 'bin', 'linger.js'), 'audit', ...(args.length ? args : ['examples'])], {
  cwd: root, stdio: 'inherit',
});
if (r.status === 1) console.log('\n(exit code 1 from `linger audit` means it found problems: the examples are leaky on purpose)');
process.exit(r.status === 0 || r.status === 1 ? 0 : r.status ?? 2);
