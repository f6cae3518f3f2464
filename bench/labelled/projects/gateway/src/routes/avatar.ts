import { Router } from 'express';

const AVATARS = process.env.AVATAR_URL ?? 'http://avatars.internal';

export const avatars = Router();

avatars.get('/avatars/:user', async (req, res, next) => {
  try {
    const upstream = await fetch(`${AVATARS}/${encodeURIComponent(req.params.user)}.png`);
    if (upstream.status === 404) {
      await upstream.body?.cancel();
      res.redirect('/static/default-avatar.png');
      return;
    }
    if (!upstream.ok) {
      await upstream.body?.cancel();
      res.sendStatus(502);
      return;
    }
    res.type('png').send(Buffer.from(await upstream.arrayBuffer()));
  } catch (err) {
    next(err);
  }
});
