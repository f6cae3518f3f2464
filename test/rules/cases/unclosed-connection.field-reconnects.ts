// unclosed-connection: a field given a new connection by a method that a reconnect timer runs again —
// where every way to that timer first ends the connection the field holds (its 'error' listener, or
// the method's own failed attempt, before the field ever got it), beside one that also runs it again
// while the field's connection is open.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A LISTEN client kept in a field, reconnected by a timer; `more` is added to the class. */
function listenerClass(more: string): string {
  return `
      import pg from 'pg';
      export class ChangeListener {
        private client: pg.Client | null = null;
        private retry: NodeJS.Timeout | null = null;
        private stopped = false;
        constructor(private readonly url: string, private readonly onChange: (id: string) => void) {}
        async start(): Promise<void> {
          const client = new pg.Client({ connectionString: this.url });
          client.on('notification', (msg) => { if (msg.payload) this.onChange(msg.payload); });
          client.on('error', () => {
            void client.end().catch(() => {});
            this.scheduleReconnect();
          });
          try {
            await client.connect();
            await client.query('LISTEN changed');
          } catch {
            await client.end().catch(() => {});
            this.scheduleReconnect();
            return;
          }
          this.client = client;
        }
        private scheduleReconnect(): void {
          this.client = null;
          if (this.stopped || this.retry) return;
          this.retry = setTimeout(() => { this.retry = null; void this.start(); }, 2000);
        }
${more}
        async stop(): Promise<void> {
          this.stopped = true;
          if (this.retry) clearTimeout(this.retry);
          const client = this.client;
          this.client = null;
          await client?.end();
        }
      }`;
}

export const valid: ValidCase[] = [
  {
    name: "a reconnect scheduled only by the client's 'error' listener (which ends it) and by the failed attempt before the field got it",
    code: listenerClass(''),
  },
];

export const invalid: InvalidCase[] = [
  {
    name: 'the same listener whose health check also schedules the reconnect while the field holds an open client',
    code: listenerClass(`        async ping(): Promise<void> {
          try {
            await this.client?.query('SELECT 1');
          } catch {
            this.scheduleReconnect();
          }
        }`),
    errors: [{ line: 8, messageId: 'overwrite' }],
  },
];
