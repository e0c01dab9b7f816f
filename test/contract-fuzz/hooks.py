"""Schemathesis hooks of the contract fuzz (test/contract-fuzz.spec.ts).

Rules between fields that JSON Schema cannot state (the OpenAPI document describes each in
words): generated requests that break one are filtered out, so every request the fuzz sends is
one the server must accept. Each rule names the schema that enforces it.
"""
from datetime import date

import schemathesis


def _differ(a, b):
    return not (isinstance(a, str) and isinstance(b, str) and a.strip().casefold() == b.strip().casefold())


@schemathesis.hook
def filter_body(ctx, body):
    """Two characters must differ (common/schemas/story.ts, batch.ts: case-insensitive)."""
    if not isinstance(body, dict):
        return True
    if not _differ(body.get("primaryCharacter"), body.get("secondaryCharacter")):
        return False
    if not _differ(body.get("primary_character"), body.get("secondary_character")):
        return False
    batch = body.get("batch") if isinstance(body.get("batch"), dict) else body
    for pair in batch.get("items") or []:
        if isinstance(pair, dict) and not _differ(pair.get("primaryCharacter"), pair.get("secondaryCharacter")):
            return False
    return True


@schemathesis.hook
def filter_query(ctx, query):
    """days never with from/to; from/to together and in order (common/schemas/cost.ts, audit.ts,
    api/runs/visibility-query.ts); nextPageToken only from a previous page."""
    if not isinstance(query, dict):
        return True
    if "nextPageToken" in query:
        return False
    if "days" in query and ("from" in query or "to" in query):
        return False
    if ("from" in query) != ("to" in query) and "days" not in query and ctx.operation.path.startswith("/api/cost"):
        return False
    if "from" in query and "to" in query and str(query["from"]) > str(query["to"]):
        return False
    if ctx.operation.path.startswith("/api/cost") and "from" in query and "to" in query:
        try:
            span = (date.fromisoformat(str(query["to"])) - date.fromisoformat(str(query["from"]))).days + 1
        except ValueError:
            return True
        if span > 366:
            return False
    return True
