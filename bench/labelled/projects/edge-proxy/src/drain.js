let draining = false;

export function startDraining() {
  draining = true;
}

/** While draining, tell clients not to reuse their connection so they move to the new instance. */
export function drainHeader(req, res, next) {
  if (draining) {
    res.setHeader('Connection', 'close');
  }
  next();
}
