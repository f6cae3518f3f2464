// The three environments every rule table runs in. A user's project rarely looks like a bare folder:
// it has node_modules with @types/node and the libraries' own typings, or a tsconfig with the DOM
// library. The analysis must give the same findings in all of them.
//
// - bare:  a folder with a package.json and nothing installed;
// - typed: a package with the libraries of test/typed-env/package.json installed (pinned, from the
//          npm registry, cached in ~/.cache/linger-typed-env/<lockfile hash>), and each case also
//          imports express, which pulls @types/node and its `declare global { … }` into the program;
// - dom:   the typed package, under a tsconfig.json with `lib: ["es2022", "dom"]`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type EnvironmentName = 'bare' | 'typed' | 'dom';

export interface Environment {
  name: EnvironmentName;
  /** Folder the case files are written to. */
  dir: string;
  /** Text appended to each case (after its own code, so line numbers do not move). */
  suffix: string;
}

const SPEC = path.join(__dirname, '..', 'typed-env');

let typedRoot: string | undefined;

/** The installed typed package, installing it on first use. */
export function typedEnvironmentRoot(): string {
  if (typedRoot) return typedRoot;
  const lock = fs.readFileSync(path.join(SPEC, 'package-lock.json'));
  const pkg = fs.readFileSync(path.join(SPEC, 'package.json'));
  const hash = createHash('sha256').update(pkg).update(lock).digest('hex').slice(0, 16);
  const root = path.join(process.env.LINGER_TYPED_ENV ?? path.join(os.homedir(), '.cache', 'linger-typed-env'), hash);
  const ready = path.join(root, '.installed');
  if (!fs.existsSync(ready)) {
    fs.mkdirSync(root, { recursive: true });
    fs.copyFileSync(path.join(SPEC, 'package.json'), path.join(root, 'package.json'));
    fs.copyFileSync(path.join(SPEC, 'package-lock.json'), path.join(root, 'package-lock.json'));
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
    fs.writeFileSync(ready, new Date().toISOString());
  }
  typedRoot = root;
  return root;
}

/** Fresh folders for the three environments. */
export function makeEnvironments(): Environment[] {
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'linger-rule-'));
  fs.writeFileSync(path.join(bare, 'package.json'), '{"name":"cases","private":true}');
  const root = typedEnvironmentRoot();
  const typed = fs.mkdtempSync(path.join(root, 'cases-'));
  const dom = fs.mkdtempSync(path.join(root, 'dom-'));
  fs.writeFileSync(path.join(dom, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'es2022', module: 'commonjs', lib: ['es2022', 'dom'], strict: true, allowJs: true, esModuleInterop: true, skipLibCheck: true },
  }));
  return [
    { name: 'bare', dir: bare, suffix: '' },
    { name: 'typed', dir: typed, suffix: "\nimport 'express';\n" },
    { name: 'dom', dir: dom, suffix: '' },
  ];
}
