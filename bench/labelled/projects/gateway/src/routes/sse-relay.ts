import { Router } from 'express';

const FEED = process.env.FEED_URL ?? 'http://feed.internal/stream';

export const relay = Router();

relay.get('/relay', async (req, res) => {
  const ac = new AbortController();
  req.on('close', () => ac.abort());
  let upstream: Response;
  try {
    upstream = await fetch(FEED, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
  } catch {
    res.sendStatus(502);
    return;
  }
  res.writeHead(upstream.status, { 'content-type': 'text/event-stream' });
  try {
    for await (const chunk of upstream.body!) {
      res.write(chunk);
    }
  } catch {
    // client went away (abort) or the feed broke; either way we are done
  }
  res.end();
});
