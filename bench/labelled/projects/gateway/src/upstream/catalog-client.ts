import { Agent, request } from 'undici';

export interface Product {
  id: string;
  name: string;
  priceCents: number;
}

export class CatalogClient {
  private readonly dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 32 });

  constructor(private readonly baseUrl: string) {}

  async getProduct(id: string): Promise<Product | null> {
    const { statusCode, body } = await request(`${this.baseUrl}/products/${encodeURIComponent(id)}`, {
      dispatcher: this.dispatcher,
      headersTimeout: 5_000,
    });
    if (statusCode === 404) {
      return null;
    }
    if (statusCode !== 200) {
      await body.dump();
      throw new Error(`catalog: HTTP ${statusCode}`);
    }
    return (await body.json()) as Product;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
