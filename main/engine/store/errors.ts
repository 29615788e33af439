/** Errors the store raises on purpose, with a message a user can act on. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly kind: 'schema' | 'not_found' | 'conflict' | 'unavailable' = 'schema',
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
