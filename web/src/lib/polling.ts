/** A refetch interval that stops while the query is failing (no console spam from a missing route). */
export function pollUnlessError(ms: number) {
  return (query: { state: { status: string } }): number | false =>
    query.state.status === 'error' ? false : ms;
}
