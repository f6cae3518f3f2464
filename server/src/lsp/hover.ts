// Hover on listen()/bind() sites: what the runtime does with SO_REUSEADDR/SO_REUSEPORT for this
// call, from the listener inventory of the file's analysis; and on net/tls connect() sites: what
// happens to the outbound socket (its ephemeral port, TIME_WAIT on the side that closes first, and
// what a fixed `localPort` does), from the connection sites of the same analysis. The facts are
// those of shared/reference/node-socket-semantics.md (§1, §2, §3).
import { Hover, HoverParams, MarkupKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FileAnalysis } from '../core/analyze';
import { ConnectionSite, Listener } from '../core/types';
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
  if (listener) return { contents: { kind: MarkupKind.Markdown, value: describe(ctx, listener) } };
  const site = connectAt(doc, result.analysis.connections ?? [], params.position);
  if (site) return { contents: { kind: MarkupKind.Markdown, value: describeConnect(ctx, site, pinnedPort(result.analysis, site)) } };
  return null;
}

const CONNECT_NAMES = new Set(['connect', 'createConnection']);
const SOCKET_CONNECTS = /^(?:net|tls)\.(?:connect|createConnection)$/;

/** The net/tls connect() call on the hovered line, when the cursor is on `connect` or `createConnection`. */
export function connectAt(doc: TextDocument, sites: ConnectionSite[], pos: { line: number; character: number }): ConnectionSite | undefined {
  if (!CONNECT_NAMES.has(wordAt(doc, pos))) return undefined;
  const onLine = sites.filter((c) => c.line - 1 === pos.line && SOCKET_CONNECTS.test(c.api));
  return onLine.filter((c) => c.column - 1 <= pos.character).pop() ?? onLine[0];
}

/** The `localPort` this call pins, from the fixed-local-port finding whose related location is the call. */
function pinnedPort(analysis: FileAnalysis, site: ConnectionSite): number | undefined {
  for (const f of analysis.findings) {
    if (f.ruleId !== 'fixed-local-port') continue;
    const at = f.related.find((r) => r.line === site.line && r.column === site.column);
    const port = at && /local port (\d+)/.exec(at.message)?.[1];
    if (port) return Number(port);
  }
  return undefined;
}

/** What the runtime does with the outbound socket of a connect() call. */
export function describeConnect(ctx: ServerContext, c: ConnectionSite, localPort: number | undefined): string {
  const target = c.host === null && c.port === null ? 'target chosen at run time'
    : c.host === null ? `to port ${c.port}, host chosen at run time`
      : c.port === null ? `to \`${c.host}\`, port chosen at run time` : `to \`${c.host}\` port ${c.port}`;
  const lines = [`**Linger: \`${c.api}\`** (outbound, ${target})`, ''];
  lines.push(localPort === undefined
    ? '- **Local port**: the kernel gives each connection its own ephemeral port (Linux: 32768–60999, `net.ipv4.ip_local_port_range`), so two connections to the same host and port never share a 4-tuple.'
    : `- **Local port**: pinned to ${localPort} by \`localPort\`, instead of an ephemeral port the kernel picks for each connection.`);
  lines.push('- **TIME_WAIT**: the side that closes first keeps the connection in TIME_WAIT for 60 s (Linux). When this code calls `end()` or `destroy()` first, the TIME_WAIT entry and its local port stay on this host: at about 470 new connections per second to one address and port the ephemeral ports run out and `connect()` fails with `EADDRNOTAVAIL`. Reusing connections (a keep-alive agent or a pool) avoids that.');
  lines.push(localPort === undefined
    ? '- **`localPort`**: not set, as it should be. A fixed `localPort` would make every connection from here use the same source port: the bind succeeds (libuv sets SO_REUSEADDR), but a reconnect to the same peer within 60 s has the same 4-tuple as the previous connection in TIME_WAIT and fails with `EADDRNOTAVAIL` (`EADDRINUSE` on BSD stacks), and two concurrent connections always collide.'
    : `- **\`localPort: ${localPort}\`**: the bind succeeds (libuv sets SO_REUSEADDR), but a reconnect to the same peer within 60 s has the same 4-tuple as the previous connection in TIME_WAIT and fails with \`EADDRNOTAVAIL\` (\`EADDRINUSE\` on BSD stacks), and two concurrent connections always collide.`);
  lines.push('', `[Why TIME_WAIT piles up](${explainLink(ctx)})`);
  return lines.join('\n');
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
