"""Schemathesis hooks of the contract fuzz (test/contract-fuzz.spec.ts).

The few rules that OpenAPI 3.0 cannot state (each is described in words in the document, next
to the field): a generated positive request that breaks one is dropped (filter_case) or mended
(map_case, which runs after it), so every positive request the fuzz sends is one the server must
accept. `filter_case` and `map_case` are the hooks Schemathesis applies in every phase (examples,
coverage, fuzzing, stateful); `filter_body`/`filter_query` are left out of the coverage phase.
Each rule names the schema that enforces it. What the document can say (exactly one of
items/generate or cron/every, no dry run in a schedule, no NUL anywhere) it says, and is not
repeated here.

Negative requests (--mode all) stay negative: map_case mends only what the document allows
anyway (two equal names, a count within its bounds, made smaller), and filter_case drops just
one kind, the one the server accepts on purpose: unknown fields in a body the document marks as
ignoring them (IGNORED_FIELDS_MARK, api/http/openapi.ts: the original's chat, context and story
bodies, whose callers may send more).
"""
import hashlib
import re
import unicodedata
from datetime import date, datetime

import schemathesis
from schemathesis.core.jsonschema import make_validator

MAX_BATCH_ITEMS = 100_000  # common/batch-items.ts
MAX_COST_RANGE_DAYS = 366  # common/schemas/cost.ts
IGNORED_FIELDS_MARK = "x-quillflow-unknown-fields-ignored"  # api/http/openapi.ts
_CONTROL = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f]")


def _same_name(a, b):
    """The server compares names normalised (common/schemas/character-name.ts sanitizeName:
    NFKC, control characters removed, whitespace collapsed, trimmed) and lower-cased. This
    compares more loosely (no whitespace at all, casefold), so it finds every pair the server
    would call equal, and a few more."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return False

    def key(s):
        s = _CONTROL.sub("", unicodedata.normalize("NFKC", s))
        return "".join(s.split()).casefold()

    return key(a) == key(b) or a.strip().lower() == b.strip().lower()


def _generator_artifact(name):
    """Schemathesis approximates the pattern's \\p{M} by whole blocks (U+20D0-U+20FF and so on),
    unassigned code points included, which the pattern (ECMAScript, Unicode 15) does not match:
    names holding one are not schema-valid, only generated as if they were."""
    return isinstance(name, str) and any(unicodedata.category(c) == "Cn" for c in name)


def _names_ok(obj):
    for key in ("primaryCharacter", "secondaryCharacter", "primary_character", "secondary_character"):
        if _generator_artifact(obj.get(key)):
            return False
    for key in ("primaryNames", "secondaryNames"):
        if isinstance(obj.get(key), list) and any(_generator_artifact(n) for n in obj[key]):
            return False
    return True


def _batch_ok(batch):
    """common/schemas/batch.ts: pairs x frameworks stays within MAX_BATCH_ITEMS; each primary name
    has a secondary name that differs from it (map_case adds one unless the list is full)."""
    items = batch.get("items")
    pairs = len(items) if isinstance(items, list) else 0
    if isinstance(items, list) and not all(_names_ok(p) for p in items if isinstance(p, dict)):
        return False
    generate = batch.get("generate")
    if isinstance(generate, dict):
        if not _names_ok(generate):
            return False
        secondaries = generate.get("secondaryNames") or []
        lonely = any(all(_same_name(p, s) for s in secondaries) for p in generate.get("primaryNames") or [])
        if lonely and len(secondaries) >= 1000:
            return False
        pairs = generate.get("count") if isinstance(generate.get("count"), int) else 0
    frameworks = batch.get("frameworks")
    if isinstance(frameworks, list):
        distinct = {str(f).strip().lower().replace("_", "-") for f in frameworks}
        if pairs * len(distinct) > MAX_BATCH_ITEMS:
            return False
    return True


def _body_ok(body):
    if not isinstance(body, dict):
        return True
    return _names_ok(body) and _batch_ok(body["batch"] if isinstance(body.get("batch"), dict) else body)


def _query_ok(path, query):
    """common/schemas/cost.ts: days never with from/to; from and to together, in order, at most
    366 days apart. api/runs/visibility-query.ts, common/schemas/audit.ts: from not after to.
    nextPageToken is opaque: only a value a previous page returned is valid."""
    if not isinstance(query, dict):
        return True
    if "nextPageToken" in query:
        return False
    has_from, has_to = "from" in query, "to" in query
    if path.startswith("/api/cost"):
        if "days" in query and (has_from or has_to):
            return False
        if has_from != has_to:
            return False
    if has_from and has_to:
        try:
            start, end = str(query["from"]), str(query["to"])
            if path.startswith("/api/cost"):
                span = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
                return 1 <= span <= MAX_COST_RANGE_DAYS
            return _instant(start) <= _instant(end)
        except (ValueError, TypeError):
            return True
    return True


def _instant(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _negative(case):
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_negative


def _only_ignored_fields_wrong(case):
    """A negative body that breaks nothing but the closedness of a body whose unknown fields the
    server ignores (IGNORED_FIELDS_MARK): without the fields the document does not name, it is
    valid. Such a request is answered like the valid one, on purpose (the original's callers)."""
    body = case.body
    if not isinstance(body, dict):
        return False
    raw = case.operation.definition.raw.get("requestBody", {}).get("content", {})
    schema = raw.get(case.media_type or "application/json", {}).get("schema", {})
    if not schema.get(IGNORED_FIELDS_MARK):
        return False
    declared = schema.get("properties", {})
    known = {k: v for k, v in body.items() if k in declared}
    if known == body:
        return False
    alternative = case.operation.get_body_for_media_type(case.media_type)
    validator_cls = case.operation.schema.adapter.jsonschema_validator_cls
    return make_validator(alternative.optimized_schema, validator_cls).is_valid(known)


@schemathesis.hook
def filter_case(ctx, case):
    if _negative(case):
        return not _only_ignored_fields_wrong(case)
    return _body_ok(case.body) and _query_ok(case.operation.path, case.query)


def _other_name(name):
    """A valid name the server will not call equal to `name`."""
    return "Qxyz" if _same_name(name, "Zyxq") else "Zyxq"


def _make_pairs_differ(obj, primary, secondary):
    if isinstance(obj, dict) and _same_name(obj.get(primary), obj.get(secondary)):
        obj[secondary] = _other_name(obj[primary])


# Not a rule of the API: the test's budget. A generated batch may hold 100,000 items, which the
# stack would then run (the simulator answers at once) for the rest of the fuzz, on the same
# cores; 20 generated pairs exercise the same code. Limits themselves are the schema specs' subject.
MAX_FUZZ_GENERATE_COUNT = 20


def _mend_batch(batch):
    generate = batch.get("generate")
    count = generate.get("count") if isinstance(generate, dict) else None
    # Only a valid count: one out of bounds is what a negative case is about.
    if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_BATCH_ITEMS:
        generate["count"] = min(count, MAX_FUZZ_GENERATE_COUNT)
    for pair in batch.get("items") or []:
        _make_pairs_differ(pair, "primaryCharacter", "secondaryCharacter")
    generate = batch.get("generate")
    if isinstance(generate, dict):
        secondaries = generate.get("secondaryNames")
        if isinstance(secondaries, list) and len(secondaries) < 1000:
            for p in generate.get("primaryNames") or []:
                if secondaries and all(_same_name(p, s) for s in secondaries):
                    secondaries.append(_other_name(p))


@schemathesis.hook
def map_case(ctx, case):
    """Runs after filter_case. Two names that must differ, and do not (the coverage phase sends
    "0" and "0"), get a second name that differs, so the case is kept rather than dropped; a
    generated batch is kept small (MAX_FUZZ_GENERATE_COUNT).

    POST /api/context/upload: the part's content must be readable as the type its filename
    names (api/context/context.controller.ts says so in words; OpenAPI 3.0 cannot constrain a
    binary part's bytes). The document's filename is notes.txt, so each generated file becomes
    text derived from the generated bytes (still one distinct file per case)."""
    body = case.body
    if case.operation.path == "/api/context/upload" and isinstance(body, dict) and "file" in body:
        raw = body["file"]
        data = getattr(raw, "data", raw)
        digest = hashlib.sha256(data if isinstance(data, bytes) else str(data).encode()).hexdigest()
        body["file"] = f"notes {digest}\n".encode()
    elif isinstance(body, dict):
        _make_pairs_differ(body, "primaryCharacter", "secondaryCharacter")
        _make_pairs_differ(body, "primary_character", "secondary_character")
        _mend_batch(body["batch"] if isinstance(body.get("batch"), dict) else body)
    return case
