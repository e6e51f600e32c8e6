/**
 * Where a registered client's own API call limit comes from (the OAuth client
 * registry). Optional: without one, the quota uses the configuration alone.
 */
export abstract class ClientLimitSource {
  /** The client's own limit, or undefined when it has none. */
  abstract limitFor(clientId: string): Promise<number | undefined> | number | undefined;
}
