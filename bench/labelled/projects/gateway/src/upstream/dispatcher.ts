import { Agent, setGlobalDispatcher } from 'undici';

export const sharedAgent = new Agent({
  connections: 64,
  keepAliveTimeout: 15_000,
  keepAliveMaxTimeout: 60_000,
});

setGlobalDispatcher(sharedAgent);
