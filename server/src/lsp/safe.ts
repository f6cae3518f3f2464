// Every handler runs inside `safe`: an exception on one document is logged and becomes an empty
// result, so no single file (or client bug) can take the server down. ResponseErrors thrown on
// purpose (InvalidParams, RequestCancelled) go to the client unchanged.
import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

type Log = (message: string) => void;

export function safe<P, R, E>(name: string, log: Log, empty: E, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R | E> => {
    try {
      return await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e; // vscode-jsonrpc sends it as the error response
      log(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      return empty;
    }
  };
}

/** The same for notifications, which have nothing to return. */
export function safeNotification<P>(name: string, log: Log, handler: (params: P) => void | Promise<void>) {
  return (params: P): void => {
    Promise.resolve()
      .then(() => handler(params))
      .catch((e) => log(`${name} failed: ${(e as Error)?.stack ?? String(e)}`));
  };
}

export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** Let queued messages ($/cancelRequest, newer didChange) be read before expensive work starts. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
