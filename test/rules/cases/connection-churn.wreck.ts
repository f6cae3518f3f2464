// connection-churn: @hapi/wreck's requests take an `agent` like Node's: one made for each call's single
// request is a connection per call.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

export const invalid: InvalidCase[] = [
  {
    name: 'a keep-alive https.Agent made for the one Wreck.post() of each call',
    code: `
      const Https = require('https');
      const Wreck = require('@hapi/wreck');
      exports.stockLevels = async function (baseUrl, skus) {
        const agent = new Https.Agent({ keepAlive: true, maxSockets: 4 });
        const { payload } = await Wreck.post(baseUrl + '/stock/query', { payload: { skus }, json: 'force', agent });
        return payload.levels || [];
      };`,
    ext: '.js',
    errors: [{ line: 4, messageId: 'perCall' }],
  },
];

export const valid: ValidCase[] = [
  {
    name: 'one agent for the process, given to a Wreck.defaults() client',
    code: `
      const Https = require('https');
      const Wreck = require('@hapi/wreck');
      const agent = new Https.Agent({ keepAlive: true, maxSockets: 4 });
      const client = Wreck.defaults({ agents: { https: agent, http: agent, httpsAllowUnauthorized: agent } });
      exports.stockLevels = async function (baseUrl, skus) {
        const { payload } = await client.post(baseUrl + '/stock/query', { payload: { skus }, json: 'force' });
        return payload.levels || [];
      };`,
    ext: '.js',
  },
];
