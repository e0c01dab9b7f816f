/**
 * How many times the LangGraph story loop may revise: draft, then critique/revise until the
 * critique passes or this bound is hit. Its own module (no LangChain import) because the cost
 * estimator, which the API loads too, needs the bound.
 */
export const LANGGRAPH_MAX_REVISIONS = 3;
