// Checks for params that come from the client: a server must survive any JSON it is sent.
import { ResponseError, ErrorCodes } from 'vscode-languageserver/node';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isPosition(v: unknown): v is { line: number; character: number } {
  return isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character) && v.line >= 0 && v.character >= 0;
}

export function isRange(v: unknown): v is { start: { line: number; character: number }; end: { line: number; character: number } } {
  return isObject(v) && isPosition(v.start) && isPosition(v.end);
}

/** The `textDocument.uri` of params, or an InvalidParams error. */
export function documentUri(params: unknown): string {
  const uri = isObject(params) && isObject(params.textDocument) ? params.textDocument.uri : undefined;
  if (typeof uri !== 'string') throw invalidParams('textDocument.uri must be a string');
  return uri;
}

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}
