// The cancellation tokens of the requests the server receives, made safe against a request
// cancelled twice. vscode-jsonrpc (9.0.3 under vscode-languageserver; 10.0.0 has the same code)
// cancels the source of a request that was cancelled while still queued before it dispatches it;
// a source cancelled before anyone read its token takes the frozen CancellationToken.Cancelled,
// which has no cancel(). A second $/cancelRequest for the same id while the handler runs then calls
// `this._token.cancel()` on it from the message reader: "TypeError: this._token.cancel is not a
// function", uncaught (found by the soak, whose editor may cancel a pending pull on a keystroke and
// again on closing the document; test/lsp/protocol.test.ts). Nothing forbids a client to do so.
import { CancellationSenderStrategy, CancellationTokenSource, ConnectionOptions } from 'vscode-languageserver/node';

/** A CancellationTokenSource whose cancel() may be called any number of times. */
export class IdempotentCancellationTokenSource extends CancellationTokenSource {
  private cancelled = false;

  override cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    super.cancel();
  }
}

/** Connection options: $/cancelRequest as usual, each request's token from an idempotent source. */
export const CONNECTION_OPTIONS: ConnectionOptions = {
  cancellationStrategy: {
    receiver: { createCancellationTokenSource: () => new IdempotentCancellationTokenSource() },
    sender: CancellationSenderStrategy.Message,
  },
};
