// The walkthrough's first step: an untitled TypeScript buffer with a socket leaked on an early
// return, so a new user sees a Linger warning without having leaky code of their own.
import * as vscode from 'vscode';

const LEAKY_EXAMPLE = `import * as net from 'net';

// Linger warns on net.connect below: when the banner is not SSH, the early return skips
// socket.end(), and the socket stays open (CLOSE_WAIT once the server hangs up).
// Put the cursor on it and press Ctrl+. (Cmd+. on macOS) to see the fixes.
export async function isSsh(host: string, port: number): Promise<boolean> {
  const socket = net.connect({ host, port });
  const banner = await new Promise<string>((resolve, reject) => {
    socket.once('data', (d) => resolve(d.toString()));
    socket.once('error', reject);
  });
  if (!banner.startsWith('SSH-')) {
    return false;
  }
  socket.end();
  return true;
}
`;

export async function openLeakyExample(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'typescript', content: LEAKY_EXAMPLE });
  await vscode.window.showTextDocument(doc);
}
