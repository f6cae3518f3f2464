// Every handler runs inside `safe`: an exception on one document is logged and answered with an
// LSP InternalError (the client learns the request failed, instead of an empty result that looks
// like "nothing here"), and the server goes on. ResponseErrors thrown on purpose (InvalidParams,
// RequestCancelled, InvalidRequest after shutdown) go to the client unchanged.
import { CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';

type Log = (message: string) => void;

export function safe<P, R>(name: string, log: Log, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    try {
      return await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e; // vscode-jsonrpc sends it as the error response
      log(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `${name} failed in the Linger server: ${(e as Error)?.message ?? String(e)} (details in its log)`);
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
