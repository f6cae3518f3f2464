// V8 stack lines → frames, and the frame that names a site: the first one outside node_modules and
// Node's own modules.
import { fileURLToPath } from 'node:url';

export interface Frame {
  function: string | null;
  file: string;
  line: number;
  column: number;
}

/** `at fn (file:1:2)`, `at file:1:2`, `at async fn (file:///x.mjs:1:2)`, `at new Foo (file:1:2)`. */
export function parseFrame(text: string): Frame | null {
  const line = text.trim().replace(/^at\s+/, '');
  const withName = /^(.*?) \((.*):(\d+):(\d+)\)$/.exec(line);
  const bare = withName ? null : /^(.*):(\d+):(\d+)$/.exec(line);
  const parts = withName ? { fn: withName[1], file: withName[2], line: withName[3], column: withName[4] } : bare ? { fn: null, file: bare[1], line: bare[2], column: bare[3] } : null;
  if (!parts) return null;
  let file = parts.file;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return null;
    }
  }
  const fn = parts.fn?.replace(/^async /, '').replace(/ \[as [^\]]+\]$/, '') ?? null;
  // `Object.<anonymous>` is V8's name for a CommonJS module's top level: no function to name.
  const named = fn && fn !== '<anonymous>' && fn !== 'Object.<anonymous>' ? fn : null;
  return { function: named, file, line: Number(parts.line), column: Number(parts.column) };
}

export function parseStack(stack: string): Frame[] {
  return stack.split('\n').map(parseFrame).filter((f): f is Frame => f !== null);
}

/** Node's own modules (`node:net`, `node:internal/...`), and eval'd or native code. */
export function isNodeFrame(frame: Frame): boolean {
  return frame.file.startsWith('node:') || frame.file.startsWith('internal/') || !/[/\\]/.test(frame.file);
}

export function isLibraryFrame(frame: Frame): boolean {
  return /[/\\]node_modules[/\\]/.test(frame.file);
}

/** The package a frame belongs to (`pg`, `@redis/client`), from its last node_modules segment. */
export function packageOf(file: string): string | null {
  const normal = file.replace(/\\/g, '/');
  const at = normal.lastIndexOf('/node_modules/');
  if (at === -1) return null;
  const match = /^(@[^/]+\/[^/]+|[^/]+)\//.exec(normal.slice(at + '/node_modules/'.length));
  return match ? match[1] : null;
}

export interface SiteFrame {
  frame: Frame;
  /** No frame outside node_modules: the frame is a library's. */
  inLibrary: boolean;
}

/** The first app frame; failing that, the first library frame; null when all frames are Node's. */
export function siteFrame(frames: readonly Frame[]): SiteFrame | null {
  const app = frames.find((f) => !isNodeFrame(f) && !isLibraryFrame(f));
  if (app) return { frame: app, inLibrary: false };
  const library = frames.find((f) => !isNodeFrame(f));
  return library ? { frame: library, inLibrary: true } : null;
}
