// A finding's short title for lists where the full message does not fit (the Connections view's
// rows, a narrow sidebar): the resource and the exit that leaks it, "socket · not closed if await
// rejects". Built from what every finding carries (rule, message id, message, related locations),
// so the CLI, the server and the VS Code client agree; the full message stays in tooltips.
import type { Finding } from './core/types';

type TitleSource = Pick<Finding, 'ruleId' | 'messageId' | 'message' | 'related'>;

/** Titles of the rules that are not about one leaking path, by `ruleId:messageId`. */
const FIXED_TITLES: Record<string, string> = {
  'timeout-without-destroy:handler': "'timeout' handler · never destroys it",
  'timeout-without-destroy:noHandler': "timeout · no 'timeout' handler",
  'connection-churn:agentFalse': 'agent: false · a new connection per request',
  'connection-churn:perCall': 'agent per call · a new connection per call',
  'connection-churn:perIteration': 'agent per iteration · a new connection each time',
  'connection-churn:keepAliveOff': 'keepAlive: false · TIME_WAIT per request',
  'connection-churn:requestClose': 'Connection: close · a new connection per request',
  'connection-churn:responseClose': 'Connection: close · TIME_WAIT per response',
  'connection-churn:proxyNoAgent': 'proxy without agent · a new connection per request',
  'half-open-socket:server': 'allowHalfOpen server · sockets never ended',
  'half-open-socket:client': 'allowHalfOpen socket · never ended',
  'listen-without-reuseaddr:multicast': 'multicast bind · no reuseAddr',
  'listen-without-reuseaddr:deno': 'multicast bind · no reuseAddress',
  'missing-keepalive:missing': 'long-lived socket · no TCP keep-alive',
};

/** What each leak rule holds, when its message does not name it. */
const LEAK_RESOURCE: Record<string, string> = {
  'unconsumed-response': 'response',
  'unreleased-pool-connection': 'pooled connection',
};

/** The related location of each way out (leak-rule.ts RELATED) → its short form; `{{past}}` is "closed", "released"... */
const EXITS: Array<[RegExp, string]> = [
  [/if this `await` rejects/, 'not {{past}} if await rejects'],
  [/when this `return` is taken/, 'not {{past}} on return'],
  [/when this `throw` runs/, 'not {{past}} on throw'],
  [/when the function ends/, 'not {{past}} at the end'],
  [/before the loop comes round/, 'not {{past}} per loop iteration'],
  [/when the variable is reassigned/, 'dropped on reassignment'],
  [/dropped here: nothing/, 'dropped where created'],
  [/the field held is dropped/, 'field overwritten while open'],
  [/nothing in the class ever/, 'never closed by its class'],
  [/its entry is deleted here/, 'dropped from its collection while open'],
];

export function findingTitle(f: TitleSource): string {
  const fixed = FIXED_TITLES[`${f.ruleId}:${f.messageId}`];
  if (fixed) return fixed;
  if (f.ruleId === 'fixed-local-port') {
    const port = /`localPort: (\d+)`/.exec(f.message)?.[1];
    return port ? `localPort ${port} · collides with TIME_WAIT` : 'localPort · collides with TIME_WAIT';
  }
  const resource = leakResource(f);
  const exit = leakExit(f);
  if (resource && exit) return `${resource} · ${exit}`;
  // A rule or message this table does not know yet: the first sentence, cut short.
  const first = f.message.split(/(?<=\.)\s/)[0];
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/** "socket", "UDP socket", "Redis connection": from the leak message (`{{Noun}} from …`, `… a new {{noun}} on line …`). */
function leakResource(f: TitleSource): string | undefined {
  // "The MongoDB session checked out by …": a checkout of something other than a connection names it.
  const checkedOut = f.ruleId === 'unreleased-pool-connection' ? /^The (.+?) checked out by/.exec(f.message)?.[1] : undefined;
  if (checkedOut && checkedOut !== 'connection') return checkedOut;
  if (LEAK_RESOURCE[f.ruleId]) return LEAK_RESOURCE[f.ruleId];
  if (f.ruleId !== 'unclosed-connection') return undefined;
  const noun = /is given a new (.+?) on line/.exec(f.message)?.[1] ?? /^(.+?) from `/.exec(f.message)?.[1];
  if (!noun) return undefined;
  // "Socket" → "socket", but "UDP socket", "WebSocket", "MongoDB client", "Redis connection" keep theirs.
  const [word] = noun.split(' ');
  const proper = /[A-Z]/.test(word.slice(1)) || /[./]/.test(word) || word === 'Redis';
  return proper ? noun : noun[0].toLowerCase() + noun.slice(1);
}

/** "not closed if await rejects": the exit the message names (its line), else the first, and how many more. */
function leakExit(f: TitleSource): string | undefined {
  const line = Number(/on line (\d+)|\(line (\d+)\)/.exec(f.message)?.slice(1).find(Boolean));
  const related = f.related.find((r) => r.line === line) ?? f.related[0];
  if (!related) return undefined;
  const past = /not ([a-z]+(?: or [a-z]+)?)/.exec(related.message)?.[1] ?? 'closed';
  // Released on no path at all: say so rather than name one exit.
  if (f.messageId === 'never') return `never ${past}`;
  const hit = EXITS.find(([re]) => re.test(related.message));
  if (!hit) return undefined;
  const others = Number(/and on (\d+) other path/.exec(f.message)?.[1] ?? 0);
  return hit[1].replace('{{past}}', past) + (others ? ` (+${others} more)` : '');
}
