// The command line of the fuzzer (scripts/fuzz.mjs): options, their defaults, and the usage line.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseArgs(argv) {
  const o = {
    seed: 1, count: 1000, corpus: undefined, noCorpus: false, budget: 2000, margin: 1000, loadMs: 30_000, maxRss: 3072,
    hangMs: 120_000, only: undefined, dump: undefined, corpusFiles: Infinity, json: false, failDir: path.join(ROOT, '.fuzz-failures'),
    fresh: true, quiet: false, maxFailures: 20, tolerate: [], maxSeconds: Infinity, workspaces: undefined, onlyWorkspace: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    const num = () => {
      const n = Number(val());
      if (!Number.isFinite(n) || n < 0) usage(`${flag} needs a number`);
      return n;
    };
    switch (flag) {
      case '--seed': o.seed = num(); break;
      case '--count': o.count = num(); break;
      case '--corpus': o.corpus = val(); break;
      case '--no-corpus': o.noCorpus = true; break;
      case '--corpus-files': o.corpusFiles = num(); break;
      case '--budget': o.budget = num(); break;
      case '--margin': o.margin = num(); break;
      case '--load-ms': o.loadMs = num(); break;
      case '--max-rss': o.maxRss = num(); break;
      case '--hang-ms': o.hangMs = num(); break;
      case '--only': o.only = num(); break;
      case '--dump': o.dump = num(); break;
      case '--fail-dir': o.failDir = path.resolve(val()); break;
      case '--max-failures': o.maxFailures = num(); break;
      case '--no-fresh': o.fresh = false; break;
      case '--max-seconds': o.maxSeconds = num(); break;
      case '--workspaces': o.workspaces = num(); break;
      case '--only-workspace': o.onlyWorkspace = num(); break;
      case '--tolerate': o.tolerate.push(new RegExp(val())); break;
      case '--json': o.json = true; break;
      case '--quiet': o.quiet = true; break;
      case '--help': usage(); break;
      default: usage(`unknown option ${a}`);
    }
  }
  return o;
}

function usage(msg) {
  if (msg) console.error(`fuzz: ${msg}`);
  console.error('Usage: npm run fuzz -- [--seed S] [--count N] [--corpus DIR | --no-corpus] [--corpus-files N] [--budget MS] [--margin MS]\n'
    + '         [--load-ms MS] [--max-rss MB] [--hang-ms MS] [--only I] [--dump I] [--fail-dir DIR] [--max-seconds S] [--no-fresh] [--tolerate REGEX]... [--json] [--quiet]');
  process.exit(msg ? 2 : 0);
}
