declare module 'virtual:request-schemas' {
  /**
   * The JSON schema of each request body of the API's OpenAPI document, keyed by operation:
   * `schemas['POST /api/batches']` (made at build time by the plugin in vite.config.mts).
   */
  const schemas: Readonly<Record<string, unknown>>;
  export default schemas;
}
