import type { Socket } from 'net';

/** Reads one CRLF-terminated reply. Rejects on -ERR replies and on close. */
export function readReply(socket: Socket, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => finish(new Error('reply timeout')), timeoutMs);
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const i = buf.indexOf('\r\n');
      if (i === -1) return;
      const line = buf.slice(0, i);
      if (line.startsWith('-ERR')) finish(new Error(line.slice(5)));
      else finish(undefined, line.replace(/^\+/, ''));
    };
    const onClose = () => finish(new Error('connection closed'));
    function finish(err?: Error, value?: string) {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(value!);
    }
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}
