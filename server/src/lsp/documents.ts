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
    if (!changes.every((c) => typeof c.text === 'string')) {
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
