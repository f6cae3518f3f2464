// The command line of the soak (scripts/soak.mjs): options, their defaults, and the usage line.

function usage(message) {
  if (message) console.error(`soak: ${message}`);
  console.error('usage: node scripts/soak.mjs [--seconds N] [--seed S] [--edits N] [--no-gc] [--keep] [--verbose] [--progress SECONDS] [--memory-ratio R] [--include-known-bugs]');
  process.exit(2);
}

export function parseArgs(argv) {
  const o = { progressMs: 30_000, seconds: 60, seed: undefined, edits: undefined, gc: true, keep: false, verbose: false, memoryRatio: 1.5, knownBugs: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const num = () => {
      const v = Number(inline ?? argv[++i]);
      if (!Number.isFinite(v) || v < 0) usage(`${flag} needs a number`);
      return v;
    };
    switch (flag) {
      case '--seconds': o.seconds = num(); break;
      case '--seed': o.seed = Math.floor(num()); break;
      case '--edits': o.edits = Math.floor(num()); break;
      case '--memory-ratio': o.memoryRatio = num(); break;
      case '--progress': o.progressMs = num() * 1000; break;
      case '--no-gc': o.gc = false; break;
      case '--include-known-bugs': o.knownBugs = true; break;
      case '--tolerate-fixed-bugs': o.knownBugs = false; break;
      case '--keep': o.keep = true; break;
      case '--verbose': o.verbose = true; break;
      case '--help': case '-h': usage(); break;
      default: usage(`unknown option ${argv[i]}`);
    }
  }
  o.seed ??= Date.now() % 1_000_000_007;
  o.edits ??= Math.max(1, Math.round((10_000 * o.seconds) / 60));
  return o;
}
