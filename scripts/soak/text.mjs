// The soak's own model of a document's text (written from the LSP spec, not with
// vscode-languageserver-textdocument, so that a disagreement with the server's copy shows up in the
// final comparison), a seeded PRNG, and the generator of realistic random edits.

/** mulberry32, as in scripts/fuzz: every run is a pure function of its seed. */
export class Rng {
  constructor(seed) {
    let a = seed >>> 0;
    this.next = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  int(n) {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }

  chance(p) {
    return this.next() < p;
  }

  pick(list) {
    return list[this.int(list.length)];
  }

  /** Pick a key of `weights` ({ name: weight }) with probability proportional to its weight. */
  weighted(weights) {
    const entries = Object.entries(weights);
    let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      if ((r -= w) < 0) return k;
    }
    return entries[entries.length - 1][0];
  }
}

/** Offsets at which each line starts (line breaks: \r\n, \n, \r, as LSP defines them). */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** End of line `line`'s content (before its line break). */
function lineEnd(text, starts, line) {
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > starts[line] && text.charCodeAt(end - 1) === 10) end--;
  if (end > starts[line] && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/**
 * Offset of an LSP position (UTF-16 code units). Out-of-range positions are clamped as the spec
 * says: a character past the end of its line means the end of the line, a line past the end of the
 * text the end of the text.
 */
export function offsetAt(text, pos, starts = lineStarts(text)) {
  if (pos.line >= starts.length) return text.length;
  if (pos.line < 0) return 0;
  const start = starts[pos.line];
  return Math.min(start + Math.max(0, pos.character), lineEnd(text, starts, pos.line));
}

export function positionAt(text, offset, starts = lineStarts(text)) {
  offset = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Apply one `TextDocumentContentChangeEvent` (incremental or full). */
export function applyChange(text, change) {
  if (!change.range) return change.text;
  const starts = lineStarts(text);
  let a = offsetAt(text, change.range.start, starts);
  let b = offsetAt(text, change.range.end, starts);
  if (b < a) [a, b] = [b, a];
  return text.slice(0, a) + change.text + text.slice(b);
}

/** Whether an LSP range lies inside `text` (lines exist, characters within their line, start <= end). */
export function rangeInside(text, range, starts = lineStarts(text)) {
  const ok = (p) => Number.isInteger(p?.line) && Number.isInteger(p?.character) && p.line >= 0 && p.character >= 0
    && p.line < starts.length && starts[p.line] + p.character <= lineEnd(text, starts, p.line);
  if (!ok(range?.start) || !ok(range?.end)) return false;
  return range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
}

/**
 * Text edits of one document (as in a WorkspaceEdit: all relative to the original text) as a
 * sequence of content changes a client can send in one didChange: from the last to the first, so
 * each change's range is still valid when it is applied. Inserts at the same position keep their
 * order (a stable sort, then reversed).
 */
export function editsToChanges(text, edits) {
  const starts = lineStarts(text);
  const withOffsets = edits.map((e, i) => ({ e, i, at: offsetAt(text, e.range.start, starts) }));
  withOffsets.sort((x, y) => x.at - y.at || x.i - y.i);
  return withOffsets.reverse().map(({ e }) => ({ range: e.range, text: e.newText }));
}

// ---- Realistic edits -------------------------------------------------------------------------

/** Lines a developer of networking code types. Some leak, some close, some break the syntax. */
export const SNIPPETS = [
  'const s = net.connect(1);',
  'const socket = net.connect({ host, port });',
  "const sock = net.createConnection(80, 'example.com');",
  'if (x) return;',
  'if (!res.ok) return false;',
  'if (!banner) { return false; }',
  'await fetch(u);',
  'const res = await fetch(url);',
  'const r2 = await fetch(`https://example.com/${id}`);',
  'await res.text();',
  'res.body?.cancel();',
  'socket.end();',
  'socket.destroy();',
  's.destroy();',
  'client.release();',
  'const client = await pool.connect();',
  'const conn = await pool.connect();',
  'try { await fetch(u); } finally { socket.end(); }',
  'return true;',
  'return false;',
  "throw new Error('boom');",
  'server.listen(3000);',
  "server.listen(8080, '0.0.0.0');",
  'const srv = net.createServer((c) => c.end());',
  'http.get(url, (r) => r.resume());',
  'https.get(url, (r) => { if (r.statusCode !== 200) return; r.resume(); });',
  'socket.setTimeout(5000, () => socket.end());',
  "socket.on('timeout', () => {});",
  'const agent = new http.Agent({ keepAlive: false });',
  'for (const h of hosts) { await fetch(h); }',
  'setInterval(() => net.connect(9000), 1000);',
  '// linger-ignore-next-line unclosed-connection -- soak',
  "const label = 'héllo 😀 мир';",
  '/* a block comment */',
  'function helper(sock) { sock.end(); }',
  'export async function extra(u: string) { const r = await fetch(u); return r.status; }',
  "import * as net from 'net';",
  "const { Pool } = require('pg');",
  "const dgram = require('dgram'); const udp = dgram.createSocket('udp4'); udp.bind(5353);",
  'await using conn2 = await pool.connect();',
];

/** Lines that leave the text unbalanced until more is typed: rarer, and usually undone. */
export const BROKEN_SNIPPETS = ['try {', '} finally {', '} catch (e) {', '}', '{', 'async function f() {', 'x = (', '`unterminated template ${'];

const snippet = (rng) => (rng.chance(0.12) ? rng.pick(BROKEN_SNIPPETS) : rng.pick(SNIPPETS));

const WORDS = [
  ['socket', 'sock'], ['end', 'destroy'], ['destroy', 'end'], ['release', 'query'], ['fetch', 'fetchx'],
  ['connect', 'createConnection'], ['return', 'await'], ['finally', 'catch'], ['listen', 'close'], ['true', 'false'],
];

function indentOf(text, starts, line) {
  if (line >= starts.length) return '';
  return /^[ \t]*/.exec(text.slice(starts[line], lineEnd(text, starts, line)))?.[0] ?? '';
}

const pos = (line, character) => ({ line, character });

/**
 * One random edit of `text`. Returns { kind, changes } where `changes` is the list of content
 * changes of ONE didChange (applied in order), or { kind: 'type', line, at, chars } for typing a
 * line a character at a time (one didChange per character, sent by the caller).
 */
export function randomEdit(rng, text, original) {
  const starts = lineStarts(text);
  const lines = starts.length;
  const line = rng.int(lines);
  // Keep documents in a useful size band: shrink big ones, regrow tiny ones.
  const big = text.length > Math.max(4000, original.length * 3);
  const tiny = text.length < 40;
  const kind = tiny ? rng.weighted({ full: 1, insertLine: 2 })
    : rng.weighted({
      insertLine: big ? 4 : 30, deleteLine: big ? 40 : 16, type: big ? 0.5 : 3, backspace: 8, deleteRange: big ? 20 : 6,
      replaceWord: 8, multiCursor: 4, duplicateLine: big ? 0 : 3, full: 1, beyondEnd: 0.5, splitSurrogate: 0.3,
    });
  switch (kind) {
    case 'insertLine':
      return { kind, changes: [{ range: { start: pos(line, 0), end: pos(line, 0) }, text: `${indentOf(text, starts, line)}${snippet(rng)}\n` }] };
    case 'deleteLine':
      return { kind, changes: [{ range: { start: pos(line, 0), end: pos(line + 1, 0) }, text: '' }] };
    case 'type': {
      // Type a snippet character by character at the start of a line (after its indentation), then Enter.
      const indent = indentOf(text, starts, line);
      return { kind, line, at: indent.length, chars: [...`${snippet(rng)}\n${indent}`] };
    }
    case 'backspace': {
      const at = rng.int(text.length) + 1;
      // Delete a whole surrogate pair, as an editor does.
      const width = at >= 2 && /[\uDC00-\uDFFF]/.test(text[at - 1]) && /[\uD800-\uDBFF]/.test(text[at - 2]) ? 2 : 1;
      return { kind, changes: [{ range: { start: positionAt(text, at - width, starts), end: positionAt(text, at, starts) }, text: '' }] };
    }
    case 'deleteRange': {
      const a = rng.int(text.length);
      const b = Math.min(text.length, a + 1 + rng.int(60));
      return { kind, changes: [{ range: { start: positionAt(text, a, starts), end: positionAt(text, b, starts) }, text: rng.chance(0.3) ? snippet(rng) : '' }] };
    }
    case 'replaceWord': {
      const [from, to] = rng.pick(WORDS);
      const hits = [];
      for (let i = text.indexOf(from); i >= 0; i = text.indexOf(from, i + 1)) hits.push(i);
      if (!hits.length) return randomEdit(rng, text, original);
      const at = rng.pick(hits);
      return { kind, changes: [{ range: { start: positionAt(text, at, starts), end: positionAt(text, at + from.length, starts) }, text: to }] };
    }
    case 'multiCursor': {
      // The same line inserted at several places in one didChange; later changes see the earlier ones.
      const text1 = snippet(rng);
      const changes = [];
      let t = text;
      for (let i = 0, n = 2 + rng.int(3); i < n; i++) {
        const s = lineStarts(t);
        const l = rng.int(s.length);
        const c = { range: { start: pos(l, 0), end: pos(l, 0) }, text: `${indentOf(t, s, l)}${text1}\n` };
        changes.push(c);
        t = applyChange(t, c);
      }
      return { kind, changes };
    }
    case 'duplicateLine': {
      const lineText = text.slice(starts[line], line + 1 < lines ? starts[line + 1] : text.length);
      return { kind, changes: [{ range: { start: pos(line, 0), end: pos(line, 0) }, text: lineText.endsWith('\n') ? lineText : `${lineText}\n` }] };
    }
    case 'full':
      // "Revert file" / a formatter replacing everything.
      return { kind, changes: [{ text: rng.chance(0.7) ? original : text.split('\n').reverse().join('\n') }] };
    case 'beyondEnd':
      // A range past the end of the text: clamped to the end (the spec's rule).
      return { kind, changes: [{ range: { start: pos(lines + 5, 3), end: pos(lines + 9, 0) }, text: `\n${snippet(rng)}` }] };
    case 'splitSurrogate': {
      // Half an emoji: a lone surrogate, which no editor should send but a server must survive.
      const i = text.search(/[\uD800-\uDBFF]/);
      if (i < 0) return { kind, changes: [{ range: { start: pos(line, 0), end: pos(line, 0) }, text: '\uD83D' }] };
      return { kind, changes: [{ range: { start: positionAt(text, i + 1, starts), end: positionAt(text, i + 2, starts) }, text: '' }] };
    }
    default:
      throw new Error(`unknown edit kind ${kind}`);
  }
}

/**
 * The change that turns `from` into `to` (common prefix and suffix kept), as an editor's undo sends
 * it: one incremental change.
 */
export function diffChange(from, to) {
  let a = 0;
  while (a < from.length && a < to.length && from.charCodeAt(a) === to.charCodeAt(a)) a++;
  let b = 0;
  while (b < from.length - a && b < to.length - a && from.charCodeAt(from.length - 1 - b) === to.charCodeAt(to.length - 1 - b)) b++;
  const starts = lineStarts(from);
  return { range: { start: positionAt(from, a, starts), end: positionAt(from, from.length - b, starts) }, text: to.slice(a, to.length - b) };
}
