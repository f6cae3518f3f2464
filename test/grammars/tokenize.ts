import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, type IGrammar } from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..');
const GRAMMARS: Record<string, string> = {
  'source.socket-states': 'syntaxes/socket-states.tmLanguage.json',
  'source.sysctl': 'syntaxes/sysctl.tmLanguage.json',
};

let registry: Registry | undefined;

// The wasm may be loaded once per process; share one registry between the grammar tests.
function getRegistry(): Registry {
  if (!registry) {
    const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    const ready = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    registry = new Registry({
      onigLib: ready.then(() => ({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      })),
      loadGrammar: async (scopeName) => {
        const file = GRAMMARS[scopeName];
        return file ? JSON.parse(readFileSync(join(ROOT, file), 'utf8')) : null;
      },
    });
  }
  return registry;
}

export async function loadGrammar(scopeName: keyof typeof GRAMMARS | string): Promise<IGrammar> {
  const grammar = await getRegistry().loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} not found`);
  return grammar;
}

export interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes each line of `text` in order (so multi-line state carries over). */
export function tokenize(grammar: IGrammar, text: string): Token[][] {
  let state = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** Scopes of the first token on `line` whose text is exactly `text`. */
export function scopesOf(lines: Token[][], lineIndex: number, text: string): string[] {
  const token = lines[lineIndex].find((t) => t.text === text);
  if (!token) {
    throw new Error(`no token "${text}" on line ${lineIndex}: ${JSON.stringify(lines[lineIndex].map((t) => t.text))}`);
  }
  return token.scopes;
}
