// connection-churn: a local function called from a listener that is named first and handed over by its name
// (`const onStatus = (s) => publish('status', s); controller.on('status', onStatus)`): the listener runs for
// every event, and so does what it calls. Also a function a listener picks by a conditional before calling it
// (`const handler = kind === 'door' ? onDoorEvent : onTelemetry; handler(id, payload)`). Also a callback a project
// class keeps from its constructor and calls from a method that listeners call on its instance (`rows.add(strike)`).
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A bridge whose `publish` opens an MQTT session per message; `wire` hands the listeners to the controller. */
const BRIDGE = (wire: string) => `
      import mqtt from 'mqtt';
      export function attachBmsBridge(controller, { url = 'mqtt://bms.local:1883', log = console } = {}) {
        const publish = (suffix, payload) => {
          const client = mqtt.connect(url, { connectTimeout: 5000, reconnectPeriod: 0 });
          client.once('connect', () => {
            client.publish('organ/blower/' + suffix, JSON.stringify(payload), { qos: 1 }, (err) => {
              if (err) log.warn(err.message);
              client.end();
            });
          });
          client.once('error', () => client.end(true));
        };
        const onStatus = (status) => publish('status', status);
        const onAlarm = (alarm) => publish('alarm', alarm);
        ${wire}
      }`;

/** A module function with a pg client of its own per call, and what calls it (`dispatch`). */
const DOOR_EVENTS = (dispatch: string) => `
      import mqtt from 'mqtt';
      import pg from 'pg';
      export async function onDoorEvent(fridgeId, payload) {
        const { opened, ts } = JSON.parse(payload.toString('utf8'));
        const db = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: 'fridge-net:door' });
        await db.connect();
        try {
          await db.query('INSERT INTO door_events (fridge_id, opened, at) VALUES ($1, $2, to_timestamp($3))', [fridgeId, opened, ts]);
        } finally {
          await db.end();
        }
      }
      export async function onTelemetry(fridgeId, payload) {
        console.log(fridgeId, payload.length);
      }
      ${dispatch}`;

/** A row mirror: a socket.io client per row; `feed` is how the relay feeds the assembler. */
const ROWS = (feed: string) => `
      const { io } = require('socket.io-client');
      async function publishRow(row) {
        const socket = io(process.env.RINGING_ROOM_URL, { forceNew: true, transports: ['websocket'], reconnection: false });
        try {
          await socket.timeout(3000).emitWithAck('row', row);
        } finally {
          socket.disconnect();
        }
      }
      class RowAssembler {
        constructor(bells, onRow) { this.bells = bells; this.onRow = onRow; this.current = []; }
        add(strike) {
          this.current.push(strike);
          if (this.current.length < this.bells) return;
          this.onRow({ bells: this.current.map((s) => s.bell) });
          this.current = [];
        }
      }
      function startRelay(listener, first) {
        const rows = new RowAssembler(8, (row) => { publishRow(row).catch((err) => console.warn(err.message)); });
        ${feed}
      }
      module.exports = { startRelay };`;

export const valid: ValidCase[] = [
  {
    name: "a row assembler's callback whose add() runs once, for the strike the relay starts with",
    code: ROWS('rows.add(first);'),
    ext: '.js',
  },
  {
    name: "a function picked by a conditional and called once by a script's main()",
    code: DOOR_EVENTS(`async function main() {
        const handler = process.argv[2] === 'door' ? onDoorEvent : onTelemetry;
        await handler(process.argv[3], Buffer.from(process.argv[4]));
      }
      main().catch((err) => { console.error(err); process.exit(1); });`),
    ext: '.mjs',
  },
  {
    name: "a bridge whose named listeners are only given to once('ready'): one session each, for the first status",
    code: BRIDGE("controller.once('ready', onStatus);\n        controller.once('connect', onAlarm);"),
    ext: '.js',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a socket.io client per row, published by the callback an assembler keeps and calls from add(), which a 'strike' listener runs",
    code: ROWS("const onStrike = (strike) => rows.add(strike);\n        listener.on('strike', onStrike);"),
    ext: '.js',
    errors: [{ line: 3, message: /^A new `socket.io-client.io` is opened on every call of `publishRow` for one exchange/ }],
  },
  {
    name: "a function an MQTT 'message' listener picks by a conditional and calls: a pg client per door event",
    code: DOOR_EVENTS(`export function startIngest(url) {
        const client = mqtt.connect(url);
        client.on('message', (topic, payload) => {
          const [, fridgeId, kind] = topic.split('/');
          const handler = kind === 'telemetry' ? onTelemetry : kind === 'door' ? onDoorEvent : null;
          if (!handler) return;
          handler(fridgeId, payload).catch((err) => console.error(err));
        });
        return client;
      }`),
    ext: '.mjs',
    errors: [{ line: 5, message: /^A new `pg.Client` is created on every call of `onDoorEvent` and closed before it returns/ }],
  },
  {
    name: "a bridge whose publish opens an MQTT session for each status event, through listeners named first and handed to on()",
    code: BRIDGE("controller.on('status', onStatus);\n        controller.on('alarm', onAlarm);"),
    ext: '.js',
    errors: [{ line: 4, message: /^A new `mqtt.connect` is opened on every call of `publish` for one exchange/ }],
  },
];
