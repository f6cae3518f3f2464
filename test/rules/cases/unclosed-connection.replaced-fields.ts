// unclosed-connection: a class whose only close of a field is in a method that makes another right after
// (`switchStage(id) { this.telemetry.close(); this.connectTelemetry(id) }`) still forgets it at the end of its life,
// when its `stop()` closes its other connection and not that one; so does one it closes only in the `catch` of a failed
// set-up (`catch (err) { await this.state.quit(); throw err }`). Beside the same classes whose end closes both.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** A stage follower with a console Socket.IO client and a rig WebSocket; `stop` is the body of its stop(). */
const STAGE_SYNC = (stop: string) => `
      const { io } = require('socket.io-client');
      const WebSocket = require('ws');
      class StageSync {
        constructor({ consoleUrl, telemetryUrl }) {
          this.consoleUrl = consoleUrl;
          this.telemetryUrl = telemetryUrl;
          this.socket = null;
          this.telemetry = null;
        }
        start(stageId) {
          this.socket = io(this.consoleUrl + '/stage', { query: { stageId } });
          this.connectTelemetry(stageId);
        }
        connectTelemetry(stageId) {
          this.telemetry = new WebSocket(this.telemetryUrl + '?stage=' + encodeURIComponent(stageId));
          this.telemetry.on('error', (err) => console.warn(err.message));
        }
        switchStage(stageId) {
          if (this.telemetry) this.telemetry.close(1000, 'stage change');
          this.connectTelemetry(stageId);
        }
        stop() {
${stop}
        }
      }
      module.exports = { StageSync };`;

/** A robot link with a Redis state client and a Modbus socket; `close` is the body of its close(). */
const ROBOT_LINK = (close: string) => `
      const net = require('node:net');
      const { once } = require('node:events');
      const { createClient } = require('redis');
      class RobotLink {
        constructor({ host, redisUrl }) { this.host = host; this.redisUrl = redisUrl; this.socket = null; this.state = null; }
        async connect() {
          this.state = createClient({ url: this.redisUrl });
          await this.state.connect();
          try {
            const socket = net.connect({ host: this.host, port: 502 });
            await once(socket, 'connect');
            this.socket = socket;
          } catch (err) {
            await this.state.quit().catch(() => {});
            throw err;
          }
        }
        close() {
${close}
        }
      }
      module.exports = { RobotLink };`;

export const invalid: InvalidCase[] = [
  {
    name: "a Redis client its class quits only when setting up the link fails, forgotten by the close() that ends the socket",
    ext: '.js',
    code: ROBOT_LINK('          if (this.socket) this.socket.end();'),
    errors: [{ line: 7, message: /^Redis connection from `redis.createClient` is kept in `this.state`, which its class closes only to make another or when setting it up fails/ }],
  },
  {
    name: "a WebSocket field its class closes only to replace it (switchStage), forgotten by the stop() that disconnects the console",
    ext: '.js',
    code: STAGE_SYNC('          if (this.socket) this.socket.disconnect();'),
    errors: [{ line: 15, message: /^WebSocket from `ws` is kept in `this.telemetry`, which its class closes only to make another/ }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'the same class whose stop() closes the WebSocket too',
    ext: '.js',
    code: STAGE_SYNC('          if (this.socket) this.socket.disconnect();\n          if (this.telemetry) this.telemetry.close();'),
  },
  {
    name: 'the same robot link whose close() quits the Redis client too',
    ext: '.js',
    code: ROBOT_LINK('          if (this.socket) this.socket.end();\n          if (this.state) this.state.quit();'),
  },
];
