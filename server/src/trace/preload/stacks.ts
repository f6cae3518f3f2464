// Creation stacks, captured only when a socket is created or a server listens (never per request
// or per packet) and cut after the first frame of the app, so that equal sites share one id.
import type { KindHint } from '../records';
import type { Journal } from './journal';

/** Frames kept at most; the app's frame is usually within the first 15 (pg, undici, http Agent). */
const STACK_LIMIT = 40;
/** Distinct stacks remembered; beyond this every new stack shares one "too many sites" id. */
const MAX_SITES = 5000;

export class Sites {
  private ids = new Map<string, number>();
  private synthetic = new Map<KindHint, number>();
  private next = 0;
  private overflow: number | undefined;

  constructor(private readonly journal: Journal, private readonly ownFile: string) {}

  /**
   * The site id of the current stack (the caller's frames are skipped); `fallback`, when given,
   * stands for a stack without a frame of the app.
   */
  here(hint: KindHint, fallback?: number): number {
    const stack = this.capture();
    return fallback !== undefined && !hasAppFrame(stack) ? fallback : this.site(hint, stack);
  }

  /** The site of the current stack when it has a frame of the app; undefined otherwise. */
  inApp(hint: KindHint): number | undefined {
    const stack = this.capture();
    return hasAppFrame(stack) ? this.site(hint, stack) : undefined;
  }

  private site(hint: KindHint, stack: string): number {
    if (!stack) return this.unknown(hint);
    const key = `${hint}\n${stack}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.ids.size >= MAX_SITES) return (this.overflow ??= this.define(hint, ''));
    const id = this.define(hint, stack);
    this.ids.set(key, id);
    return id;
  }

  /** One site per kind for sockets whose creation no channel saw. */
  unknown(hint: KindHint): number {
    let id = this.synthetic.get(hint);
    if (id === undefined) {
      id = this.define(hint, '');
      this.synthetic.set(hint, id);
    }
    return id;
  }

  private define(hint: KindHint, stack: string): number {
    const id = ++this.next;
    this.journal.push(['site', id, hint, stack]);
    return id;
  }

  private capture(): string {
    let text: unknown;
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = STACK_LIMIT;
      const holder: { stack?: unknown } = {};
      Error.captureStackTrace(holder);
      text = holder.stack;
    } catch {
      return '';
    } finally {
      Error.stackTraceLimit = limit;
    }
    return typeof text === 'string' ? cut(text, this.ownFile) : '';
  }
}

/** The frames below the preload's own, up to and including the first frame of the app. */
export function cut(stack: string, ownFile: string): string {
  const lines = stack.split('\n');
  const kept: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes(' at ') || line.includes(ownFile) || line.includes('node:diagnostics_channel')) continue;
    kept.push(line.trim());
    if (isAppFrame(line)) break;
  }
  return kept.join('\n');
}

/** The cut stack ends with the app's frame when it has one. */
function hasAppFrame(stack: string): boolean {
  return stack !== '' && isAppFrame(stack.slice(stack.lastIndexOf('\n') + 1));
}

function isAppFrame(line: string): boolean {
  return !line.includes('node:') && !line.includes('node_modules') && !line.includes('(<anonymous>)') && !line.includes('(native)') && /:\d+:\d+\)?$/.test(line);
}
