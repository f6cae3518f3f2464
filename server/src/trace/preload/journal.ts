// The traced process's journal: records are buffered in memory and appended to its file once per
// interval and at exit, so a socket costs no I/O of its own. The fs functions are taken when the
// preload loads, before the app can wrap them (graceful-fs, mock-fs).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { JournalRecord } from '../records';

export class Journal {
  private buffer: string[] = [];
  private fd: number | undefined;
  private broken = false;

  constructor(readonly file: string) {}

  push(record: JournalRecord): void {
    if (!this.broken) this.buffer.push(JSON.stringify(record));
  }

  /** Appends what is buffered; a journal that cannot be written is given up silently (the app must not notice). */
  flush(): void {
    if (this.broken || this.buffer.length === 0) return;
    const text = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    try {
      this.fd ??= openSync(this.file, 'a');
      writeSync(this.fd, text);
    } catch {
      this.broken = true;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // nothing to do: the process is exiting
    }
    this.fd = undefined;
  }
}
