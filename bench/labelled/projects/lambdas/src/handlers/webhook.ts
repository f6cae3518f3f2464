const STRIPE_API = 'https://api.stripe.com/v1';

/** Confirms an event with Stripe before trusting it. */
export const handler = async (event: { body: string }) => {
  const { id } = JSON.parse(event.body);
  const res = await fetch(`${STRIPE_API}/events/${id}`, {
    headers: { authorization: `Bearer ${process.env.STRIPE_KEY}` },
  });
  if (res.status === 404) {
    return { statusCode: 400, body: 'unknown event' };
  }
  const verified = await res.json();
  return { statusCode: 200, body: JSON.stringify({ type: verified.type }) };
};
