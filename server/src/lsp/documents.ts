// The open editor buffers. Written by hand rather than with `TextDocuments` so that bad input from a
// client (a change for a document that was never opened, versions out of order, edits outside the
// text) is logged and ignored instead of throwing inside a notification handler.
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  DidSaveTextDocumentParams,
} from 'vscode-languageserver/node';
import { isObject } from './guards';

export interface OpenDocument {
  doc: TextDocument;
  /** Version of the text last saved (or opened); `run: onSave` analyses only these. */
  savedVersion: number;
}

/** Which didOpen a document object comes from (TextDocument.update keeps the object). */
const OPENINGS = new WeakMap<TextDocument, number>();
let openings = 0;

export function openingOf(doc: TextDocument): number {
  return OPENINGS.get(doc) ?? 0;
}

export class DocumentStore {
  private docs = new Map<string, OpenDocument>();

  constructor(private log: (message: string) => void) {}

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri)?.doc;
  }

  entry(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): TextDocument[] {
    return [...this.docs.values()].map((d) => d.doc);
  }

  /** Returns the document when it was opened, undefined when the params were unusable. */
  open(params: DidOpenTextDocumentParams): TextDocument | undefined {
    const td = isObject(params) ? params.textDocument : undefined;
    if (!isObject(td) || typeof td.uri !== 'string' || typeof td.text !== 'string') {
      this.log('didOpen without a usable textDocument: ignored');
      return undefined;
    }
    const version = typeof td.version === 'number' ? td.version : 0;
    const doc = TextDocument.create(td.uri, typeof td.languageId === 'string' ? td.languageId : 'typescript', version, td.text);
    // Each open is a new generation: a reopened (or doubly opened) document never reuses old results.
    OPENINGS.set(doc, ++openings);
    this.docs.set(td.uri, { doc, savedVersion: version });
    return doc;
  }

  change(params: DidChangeTextDocumentParams): TextDocument | undefined {
    const td = isObject(params) ? params.textDocument : undefined;
    const uri = isObject(td) && typeof td.uri === 'string' ? td.uri : undefined;
    const entry = uri ? this.docs.get(uri) : undefined;
    if (!entry) {
      this.log(`didChange for ${uri ?? 'a document without a uri'} that is not open: ignored`);
      return undefined;
    }
    const version = isObject(td) && typeof td.version === 'number' ? td.version : entry.doc.version + 1;
    if (version <= entry.doc.version) {
      this.log(`didChange for ${uri} with version ${version} <= ${entry.doc.version}: out of order, ignored`);
      return undefined;
    }
    const changes = Array.isArray(params.contentChanges) ? params.contentChanges.filter(isObject) : [];
    // Checked as a whole before any is applied: TextDocument.update applies them one by one.
    if (!changes.every(isContentChange)) {
      this.log(`didChange for ${uri} with malformed contentChanges: ignored`);
      return undefined;
    }
    // TextDocument.update clamps ranges to the text, so a bad range cannot throw.
    entry.doc = TextDocument.update(entry.doc, changes, version);
    return entry.doc;
  }

  save(params: DidSaveTextDocumentParams): TextDocument | undefined {
    const uri = isObject(params) && isObject(params.textDocument) ? params.textDocument.uri : undefined;
    const entry = typeof uri === 'string' ? this.docs.get(uri) : undefined;
    if (!entry) return undefined;
    entry.savedVersion = entry.doc.version;
    return entry.doc;
  }

  close(params: DidCloseTextDocumentParams): string | undefined {
    const uri = isObject(params) && isObject(params.textDocument) ? params.textDocument.uri : undefined;
    if (typeof uri !== 'string' || !this.docs.delete(uri)) return undefined;
    return uri;
  }
}

/** A whole-text change, or a ranged one with a well-formed range (and a numeric rangeLength if any). */
function isContentChange(c: Record<string, unknown>): boolean {
  if (typeof c.text !== 'string') return false;
  if (!('range' in c)) return !('rangeLength' in c) || typeof c.rangeLength === 'number';
  const r = c.range as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | null;
  const pos = (p: { line?: unknown; character?: unknown } | undefined) =>
    !!p && Number.isInteger(p.line) && Number.isInteger(p.character) && (p.line as number) >= 0 && (p.character as number) >= 0;
  return !!r && pos(r.start) && pos(r.end) && (c.rangeLength === undefined || typeof c.rangeLength === 'number');
}
