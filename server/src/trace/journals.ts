// Reads the journals of the traced processes incrementally: each call returns the complete lines
// appended since the last one, per process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JournalRecord } from './records';

interface Cursor {
  offset: number;
  partial: string;
}

export interface JournalBatch {
  /** `<pid>-<threadId>-<start>`: one traced process (or worker thread). */
  key: string;
  records: JournalRecord[];
  /** Lines that were not JSON arrays. */
  bad: number;
}

export class JournalReader {
  private cursors = new Map<string, Cursor>();

  constructor(readonly dir: string) {}

  read(): JournalBatch[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.jsonl')).sort();
    } catch {
      return [];
    }
    const batches: JournalBatch[] = [];
    for (const name of names) {
      const key = name.slice(0, -'.jsonl'.length);
      const text = this.readNew(path.join(this.dir, name), key);
      if (!text) continue;
      const batch: JournalBatch = { key, records: [], bad: 0 };
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const record = JSON.parse(line) as unknown;
          if (Array.isArray(record) && typeof record[0] === 'string') batch.records.push(record as JournalRecord);
          else batch.bad++;
        } catch {
          batch.bad++;
        }
      }
      batches.push(batch);
    }
    return batches;
  }

  private readNew(file: string, key: string): string {
    const cursor = this.cursors.get(key) ?? { offset: 0, partial: '' };
    this.cursors.set(key, cursor);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return '';
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= cursor.offset) return '';
      const buffer = Buffer.alloc(size - cursor.offset);
      const read = fs.readSync(fd, buffer, 0, buffer.length, cursor.offset);
      cursor.offset += read;
      const text = cursor.partial + buffer.subarray(0, read).toString('utf8');
      // A line is complete once its newline is written; keep the rest for the next read.
      const end = text.lastIndexOf('\n');
      cursor.partial = text.slice(end + 1);
      return text.slice(0, end + 1);
    } finally {
      fs.closeSync(fd);
    }
  }
}
