// An origin: where a value comes from, as the origin resolver (origins.ts) names it.
import { ts } from 'ts-morph';

/** `module` + export path; `instance` when the value is what calling/constructing that export returns. */
export interface Origin {
  module: string;
  path: string[];
  instance: boolean;
  /** A module of the project itself (`require('./db')`): its exports are followed to their declarations. */
  projectModule?: ts.Symbol;
  /**
   * A function of the project that returns a module, whatever it is given (`clientFor(url)` returning
   * `https` or `http`): calling it gives that module, not an instance.
   */
  returns?: Origin;
  /** `options.fetch`: a fetch handed in by the caller (injected-fetch.ts), not the global itself. */
  injected?: true;
  /** `options.fetcher ?? fetch`: the global, unless the caller hands in its own. */
  replaceable?: true;
}
