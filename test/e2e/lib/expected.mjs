// What the e2e tests in VS Code and in Neovim both expect: the first fix of the `send` leak of the
// fixtures' src/probe.ts, and the text it leaves.
export const FIX_TITLE = 'Close `s` before the leaking exit';

export const FIXED_SEND = `export function send(host: string, port: number, payload: string): boolean {
  const s = net.connect({ host, port });
  if (payload.length === 0) {
    s.destroy();
    return false;
  }
  s.end(\`\${payload}\\n\`);
  return true;
}`;
