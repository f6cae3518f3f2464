// unclosed-connection: a class that keeps one project object per key, each owning a connection (a scanner
// link with its socket, an inverter session), and stops its entries elsewhere (`stopAll()`), deletes an
// entry in a method that stops nothing: the object's connection stays open (its watchdog reconnects it), and
// the class can no longer reach it. Look-alikes: the remove that stops the link first, and one that hands
// the removed link to its caller.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A link that owns a TCP socket to a scanner, reconnected by a watchdog until `stop()`. */
const LINK = `
      const net = require('node:net');
      class ScannerLink {
        constructor({ host, port }) { this.host = host; this.port = port; this.socket = null; this.stopped = false; }
        start() { this.connect(); this.watchdog = setInterval(() => { if (!this.socket) this.connect(); }, 15000); }
        connect() {
          this.socket = net.connect({ host: this.host, port: this.port });
          this.socket.on('close', () => { this.socket = null; });
        }
        stop() {
          this.stopped = true;
          clearInterval(this.watchdog);
          if (this.socket) this.socket.destroy();
        }
      }
      module.exports = { ScannerLink };`;

/** The pool of links; `remove` is the body of its remove(id) after the lookup. */
const scannerPool = (remove: string) => `
      const { ScannerLink } = require('./scannerLink');
      class ScannerPool {
        constructor() { this.links = new Map(); }
        add(def) {
          const link = new ScannerLink(def);
          link.start();
          this.links.set(def.id, link);
          return link;
        }
        remove(id) {
          const link = this.links.get(id);
          if (!link) return false;
          ${remove}
        }
        stopAll() {
          for (const link of this.links.values()) link.stop();
          this.links.clear();
        }
      }
      module.exports = { ScannerPool };`;

export const invalid: InvalidCase[] = [
  {
    name: "a pool of scanner links whose remove() deletes a link's entry without stopping it, while stopAll() stops every link",
    code: scannerPool(`this.links.delete(id);
          return true;`),
    ext: '.js',
    files: { 'scannerLink.js': LINK },
    errors: [{ line: 5, message: /new ScannerLink\(\)` is kept in `this\.links`/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same remove() stopping the link before it deletes the entry',
    code: scannerPool(`link.stop();
          this.links.delete(id);
          return true;`),
    ext: '.js',
    files: { 'scannerLink.js': LINK },
  },
  {
    name: 'the same remove() handing the removed link to its caller, who may stop it',
    code: scannerPool(`this.links.delete(id);
          return link;`),
    ext: '.js',
    files: { 'scannerLink.js': LINK },
  },
];
