// What the benchmarks run on: the shared corpus (mongodb's and grpc-js's TypeScript sources with a
// tsconfig each), TypeScript 7's native compiler (pinned, installed from the npm registry into a
// cache folder, never into the project), and generated projects made of N copies of mongodb's
// sources, to see how the cost grows with the size of a project.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const TS7_VERSION = '7.0.2';

/** The corpus folder (LINGER_CORPUS, else ../shared/corpus/fetch-corpus.sh fetches it). */
export function corpusDir(root) {
  if (process.env.LINGER_CORPUS && existsSync(join(process.env.LINGER_CORPUS, 'tsconfig.mongodb.json'))) return process.env.LINGER_CORPUS;
  const fetch = join(root, '..', 'shared', 'corpus', 'fetch-corpus.sh');
  if (!existsSync(fetch)) throw new Error(`no corpus (set LINGER_CORPUS or provide ${fetch})`);
  return execFileSync('bash', [fetch], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
}

/**
 * The native `tsc` of TypeScript 7 (what `tsgo` became), installed once into
 * ~/.cache/linger-bench/typescript-<version>; its platform package carries the executable, which is
 * run directly (its Node wrapper would only add a process).
 */
export function tsgoPath() {
  const dir = join(process.env.LINGER_BENCH_CACHE ?? join(homedir(), '.cache', 'linger-bench'), `typescript-${TS7_VERSION}`);
  const pkg = join(dir, 'node_modules', '@typescript', `typescript-${process.platform}-${process.arch}`);
  if (!existsSync(join(pkg, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"name":"linger-bench-ts7","private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', `typescript@${TS7_VERSION}`], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const exe = join(pkg, 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
  if (!existsSync(exe)) throw new Error(`TypeScript ${TS7_VERSION} has no native compiler for ${process.platform}-${process.arch} (${exe})`);
  return exe;
}

/** TypeScript 6's `tsc`, the project's own devDependency. */
export function tscPath(root) {
  return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
}

/**
 * grpc-js's tsconfig says `moduleResolution: node`, which TypeScript 7 refuses: a config that extends
 * it with node16 (both tools then read the same one), written beside it in the corpus folder: linger
 * reads sources only inside its workspace (the current folder and the config's folder), so a config
 * elsewhere would leave it nothing to audit.
 */
export function grpcNode16(corpus) {
  const file = join(corpus, 'tsconfig.grpc-js.node16.json');
  writeFileSync(file, JSON.stringify({
    extends: './tsconfig.grpc-js.json',
    compilerOptions: { module: 'node16', moduleResolution: 'node16' },
  }, null, 2));
  return file;
}

/**
 * A project of `copies` copies of mongodb's sources (src0/, src1/, …) with the corpus's tsconfig
 * options; node_modules is linked for the typings the sources import. Returns its tsconfig.
 */
export function generatedProject(corpus, scratch, copies) {
  const dir = join(scratch, `generated-${copies}x`);
  const tsconfig = join(dir, 'tsconfig.json');
  if (existsSync(tsconfig)) return tsconfig;
  mkdirSync(dir, { recursive: true });
  const src = join(corpus, 'node_modules', 'mongodb', 'src');
  for (let i = 0; i < copies; i++) cpSync(src, join(dir, `src${i}`), { recursive: true });
  symlinkSync(join(corpus, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const base = JSON.parse(readFileSync(join(corpus, 'tsconfig.mongodb.json'), 'utf8'));
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: base.compilerOptions, include: ['src*/**/*'] }, null, 2));
  // No "type": the sources are CommonJS under node16, as in mongodb's package.
  writeFileSync(join(dir, 'package.json'), '{"name":"linger-bench-generated","private":true}');
  return tsconfig;
}
