// Commands the server executes itself, for editors other than VS Code (whose client has its own,
// richer versions): "explain" asks the editor to show the explanation page.
import { ExecuteCommandParams, MessageType, ShowMessageNotification } from 'vscode-languageserver/node';
import { SERVER_COMMANDS } from '../protocol';
import { ServerContext } from './context';
import { invalidParams, isObject } from './guards';
import { explanationPath, pathToUri } from './paths';

export async function executeCommand(ctx: ServerContext, params: ExecuteCommandParams): Promise<unknown> {
  const command = isObject(params) ? params.command : undefined;
  const args = isObject(params) && Array.isArray(params.arguments) ? params.arguments : [];
  if (command !== SERVER_COMMANDS.explain) throw invalidParams(`unknown command ${String(command)}`);
  const explanation = args[0];
  if (explanation !== 'close-wait' && explanation !== 'time-wait') throw invalidParams('argument must be "close-wait" or "time-wait"');
  const uri = pathToUri(explanationPath(explanation, ctx.client.locale));
  if (ctx.client.showDocument) {
    await ctx.connection.window.showDocument({ uri, takeFocus: true });
  } else {
    // A notification, not a request: nothing to answer, so no editor stops on a prompt.
    void ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Linger: the explanation is at ${uri}` });
  }
  return null;
}
