const PRICING_URL = process.env.PRICING_URL ?? 'http://pricing.internal';
const TAX_URL = process.env.TAX_URL ?? 'http://tax.internal';

export async function priceWithTax(sku: string, region: string) {
  const [price, tax] = await Promise.all([
    fetch(`${PRICING_URL}/prices/${sku}`),
    fetch(`${TAX_URL}/rates/${region}`),
  ]);
  if (!price.ok || !tax.ok) {
    throw new Error(`pricing ${price.status}, tax ${tax.status}`);
  }
  const { cents } = (await price.json()) as { cents: number };
  const { rate } = (await tax.json()) as { rate: number };
  return Math.round(cents * (1 + rate));
}
