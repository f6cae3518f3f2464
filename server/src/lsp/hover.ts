// Hover on listen()/bind()/connect() sites: what the runtime does with SO_REUSEADDR/SO_REUSEPORT
// for this call, from the listener inventory of the file's analysis. The facts are those of
// shared/reference/node-socket-semantics.md (libuv sets SO_REUSEADDR on every TCP bind on Unix).
import { Hover, HoverParams, MarkupKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Listener } from '../core/types';
import { COMMANDS } from '../protocol';
import { ServerContext } from './context';
import { analyzeDocument } from './diagnose';
import { documentUri, invalidParams, isPosition } from './guards';
import { explanationPath, pathToUri } from './paths';
import { isSysctlDocument, sysctlHover } from './sysctl';

const CALL_NAMES = new Set(['listen', 'bind', 'connect', 'createServer', 'createSocket', 'request', 'get', 'serve']);

export async function hover(ctx: ServerContext, params: HoverParams): Promise<Hover | null> {
  const uri = documentUri(params);
  if (!isPosition(params.position)) throw invalidParams('position must be {line, character}');
  const doc = ctx.documents.get(uri);
  if (!doc) return null;
  if (isSysctlDocument(uri, doc.languageId)) return sysctlHover(doc, params.position);
  // Never waits for an analysis in progress (a large document can take seconds): the last result
  // answers; only a document never analysed waits for its first.
  const result = ctx.analysis.current(doc) ?? ctx.analysis.last(uri) ?? (await analyzeDocument(ctx, doc));
  const listener = listenerAt(doc, result.analysis.listeners, params.position);
  if (!listener) return null;
  return { contents: { kind: MarkupKind.Markdown, value: describe(ctx, listener) } };
}

/** The listener on the hovered line, when the cursor is on the name of the call (or its API's name). */
export function listenerAt(doc: TextDocument, listeners: Listener[], pos: { line: number; character: number }): Listener | undefined {
  const onLine = listeners.filter((l) => l.line - 1 === pos.line);
  if (!onLine.length) return undefined;
  const word = wordAt(doc, pos);
  const names = (l: Listener) => new Set([...CALL_NAMES, l.api.split('.').pop() ?? '']);
  const candidates = onLine.filter((l) => names(l).has(word));
  // Several on one line: the last one that starts at or before the cursor.
  return candidates.filter((l) => l.column - 1 <= pos.character).pop() ?? candidates[0];
}

function wordAt(doc: TextDocument, pos: { line: number; character: number }): string {
  const line = doc.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } });
  let s = Math.min(pos.character, line.length);
  let e = s;
  while (s > 0 && /[\w$]/.test(line[s - 1])) s--;
  while (e < line.length && /[\w$]/.test(line[e])) e++;
  return line.slice(s, e);
}

export function describe(ctx: ServerContext, l: Listener): string {
  const isUdp = /dgram|udp|createSocket/i.test(l.api);
  const isClient = /connect|request|get\b/i.test(l.api) && !/listen|bind/i.test(l.api);
  const where = `${l.port === null ? 'port chosen at run time' : `port ${l.port}`}${l.host ? `, host \`${l.host}\`` : ''}`;
  const lines = [`**Linger: \`${l.api}\`** (${where})`, ''];
  lines.push(`- **SO_REUSEADDR**: ${reuseAddrText(l, isUdp)}`);
  lines.push(`- **SO_REUSEPORT**: ${l.reusePort
    ? 'requested (`reusePort: true`): several sockets share the port and the kernel balances between them. Linux, FreeBSD ≥ 12, Solaris 11.4 and AIX only; it raises an error on macOS and Windows (Node ≥ 22.12 / 23.1).'
    : 'not set: no other socket can bind this port alongside this one.'}`);
  if (isClient && l.port !== null) {
    lines.push('- **Fixed local port**: every connection from here uses the same source port, so it has the same 4-tuple as the previous one to that peer. While that one sits in TIME_WAIT (60 s on Linux), `connect()` fails with `EADDRNOTAVAIL` (`EADDRINUSE` on BSD stacks), and two concurrent connections always collide.');
  }
  lines.push('', `[Why TIME_WAIT piles up](${explainLink(ctx)})`);
  return lines.join('\n');
}

function reuseAddrText(l: Listener, isUdp: boolean): string {
  if (isUdp) {
    return l.reuseAddr === 'off'
      ? 'off (the `dgram` default): binding an address another socket holds fails with `EADDRINUSE`.'
      : 'on (`reuseAddr: true`): several sockets may bind this address, and only one of them receives each datagram (on macOS/BSD libuv sets SO_REUSEPORT for this).';
  }
  switch (l.reuseAddr) {
    case 'implicit':
      return 'set by Node itself: libuv sets it on every TCP bind on Unix, so a restarted server binds even while the old connections of this port sit in TIME_WAIT. On Windows it is not set, and a plain bind ignores TIME_WAIT there. Nothing to add.';
    case 'explicit':
      return 'set explicitly by this call.';
    case 'off':
      return 'not set for this socket: a restart fails with `EADDRINUSE` while the connections of the previous process are in TIME_WAIT.';
  }
}

/** A command link opens the Markdown preview in VS Code (its client trusts this command); a file link elsewhere. */
function explainLink(ctx: ServerContext): string {
  if (ctx.client.clientCommands.has(COMMANDS.explain)) {
    return `command:${COMMANDS.explain}?${encodeURIComponent(JSON.stringify(['time-wait']))}`;
  }
  return pathToUri(explanationPath('time-wait', ctx.client.locale));
}
