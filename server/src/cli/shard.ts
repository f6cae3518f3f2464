// `linger audit --shard i/N`: one of N slices of the files, for a CI job matrix. Every shard lists
// the same files and computes the same split, independently:
//   - files are ordered by a hash of their project (the tsconfig that owns them, or the package root
//     of an inferred project) and then by a hash of their path, both relative to the current folder,
//     so the split is the same in every checkout and a file's place does not depend on the others';
//   - the order is cut into N runs of about the same number of bytes, so the shards are balanced by
//     size, and the files of one project stay together: in a monorepo, a shard loads few projects.
// A shard loads only the projects of its own files (with all of their files, as a whole audit does,
// so that each file's result is the same) and analyses only its files. The shards' reports carry a
// fingerprint of the split and the options, which `linger merge` checks (merge.ts).
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Analyzer } from '../core/analyze';
import { SkippedFile } from '../core/types';
import type { ShardSpec } from './args';

/** What a shard's report says about itself (removed by `linger merge`). */
export interface ShardInfo extends ShardSpec {
  /** How many files all the shards together audit. */
  files: number;
  /** The same in every shard of one run: a hash of the split and of the options that change results. */
  fingerprint: string;
  /** How many files this shard analysed (a SARIF log does not say; `linger merge` checks that some were). */
  analysed?: number;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex');

/** A path as the split sees it: relative to the current folder, with `/` on every system. */
function key(cwd: string, abs: string): string {
  return path.relative(cwd, abs).split(path.sep).join('/');
}

/** The project a file goes into, found without loading it (the nearest tsconfig, or an inferred project per package root). */
function projectKeys(analyzer: Analyzer, cwd: string, file: string): { primary: string; all: string[] } {
  const inferred = `inferred:${key(cwd, analyzer.projects.packageRoot(file))}`;
  const config = analyzer.projects.configPathFor(file);
  if (!config) return { primary: inferred, all: [inferred] };
  // A file under a tsconfig can still end up in the inferred project of its package (a JavaScript
  // file without allowJs, a tsconfig that cannot be loaded): then both are its possible projects.
  const configured = `config:${key(cwd, config)}`;
  return { primary: configured, all: analyzer.projects.mayBeInferred(file) ? [configured, inferred] : [configured] };
}

export interface Split {
  /** The shard's files, in the order they were listed. */
  files: string[];
  /** Every file of the projects the shard's files belong to, in the order listed: what to load first. */
  load: string[];
  /** The shard's share of the files skipped while listing (links out of the workspace, FIFOs…). */
  skipped: SkippedFile[];
  info: ShardInfo;
}

/**
 * The shard's part of `files` (and of `skipped`). `options` are the settings that change results;
 * their hash goes into the fingerprint, so that shards run with different options cannot be merged.
 */
export function split(analyzer: Analyzer, cwd: string, spec: ShardSpec, files: string[], skipped: SkippedFile[], options: unknown): Split {
  const entries = files.map((file) => {
    const rel = key(cwd, file);
    const projects = projectKeys(analyzer, cwd, file);
    let size = 0;
    try {
      size = fs.statSync(analyzer.files.real(file).real ?? file).size;
    } catch {
      /* gone: analysed (and reported) by the shard it falls to */
    }
    return { file, rel, projects, weight: size + 1, order: `${hash(projects.primary)}${hash(rel)}`, shard: 0 };
  });
  const ordered = [...entries].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const total = ordered.reduce((sum, e) => sum + e.weight, 0);
  let before = 0;
  for (const e of ordered) {
    // The shard whose byte range holds the middle of the file.
    e.shard = Math.min(spec.count - 1, Math.floor(((before + e.weight / 2) * spec.count) / total)) + 1;
    before += e.weight;
  }
  const mine = entries.filter((e) => e.shard === spec.index);

  // The projects the shard needs, closed over files that may go into either of two projects.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  for (const e of entries) {
    const [first, ...rest] = e.projects.all.map(find);
    for (const r of rest) if (r !== first) parent.set(r, first);
  }
  const needed = new Set(mine.map((e) => find(e.projects.primary)));
  const load = entries.filter((e) => needed.has(find(e.projects.primary))).map((e) => e.file);

  const shardOf = (rel: string) => (parseInt(hash(rel).slice(0, 8), 16) % spec.count) + 1;
  const fingerprint = hash(JSON.stringify({
    files: ordered.map((e) => [e.rel, e.shard]),
    skipped: skipped.map((s) => key(cwd, s.file)).sort(),
    count: spec.count,
    options,
  })).slice(0, 16);
  return {
    files: mine.map((e) => e.file),
    load,
    skipped: skipped.filter((s) => shardOf(key(cwd, s.file)) === spec.index),
    info: { ...spec, files: files.length, fingerprint },
  };
}
