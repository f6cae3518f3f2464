// connection-churn: a project helper that makes a keep-alive agent, called as a parameter's default
// (`{ agent = vesselAgent(ca) } = {}`): every call that passes no agent makes a new one for its one request.
import { InvalidCase, ValidCase } from '../../helpers/rule-tester';

/** An SDK's position lookup; `param` is its options parameter, `request` the request's options. */
const POSITIONS = (param: string, extra = '') => `
      import https from 'node:https';
      import fetch from 'node-fetch';
      function vesselAgent(ca) {
        return new https.Agent({ keepAlive: true, maxSockets: 2, ca });
      }${extra}
      export async function latestPosition(vesselId, ${param}) {
        const res = await fetch('https://ais.example/vessels/' + vesselId + '/position', { agent });
        if (!res.ok) throw new Error('AIS ' + res.status);
        return res.json();
      }`;

export const valid: ValidCase[] = [
  {
    name: "the same lookup whose default is one agent the module made once",
    code: POSITIONS('{ agent = sharedAgent } = {}', "\n      const sharedAgent = vesselAgent(process.env.AIS_CA);"),
    ext: '.mjs',
  },
];

export const invalid: InvalidCase[] = [
  {
    name: "a lookup whose options default the agent to a helper's new keep-alive agent: one per call that passes none",
    code: POSITIONS('{ ca, agent = vesselAgent(ca) } = {}'),
    ext: '.mjs',
    errors: [{ line: 4, message: /^A new `https.Agent` is created on every call of `vesselAgent` and used for a single request/ }],
  },
];
