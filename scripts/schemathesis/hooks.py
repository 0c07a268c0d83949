"""What schemathesis cannot know about msohub's API.

`positive_data_acceptance` expects every request that fits the OpenAPI
document to be accepted. JSON Schema cannot say that an id must name an
existing record, that an end lies after its start, that a name is free, or
that a proposal is still open; msohub refuses such requests with 422 and the
rule broken. The configuration lets 422 through the built-in check, and
`only_rules_schemas_cannot_state` fails every 422 on valid data whose rules
are not of that kind: a `required`, `choice-unknown`, `date-invalid`,
`too-long` … on schema-valid data still fails the run.
"""

import json

import schemathesis

# Rules about other records, the record's state, or several fields at once.
RULES_BEYOND_SCHEMAS = {
    # an id that names no record (or none of the right kind)
    "organisation-unknown", "person-unknown", "body-unknown", "user-unknown",
    "link-unknown", "meeting-unknown", "interaction-unknown", "record-unknown",
    "project-unknown", "period-unknown", "survey-unknown", "term-unknown-for-period", "not-found",
    "affiliation-required", "substitute-unknown", "event-unknown",
    # fields in relation to each other
    "end-before-start", "resolved-on-open", "place-required", "member-one-of",
    "only-for-representatives", "override-reason-required", "to-before-from",
    "ends-before-starts", "age-range", "valid-to-before-from", "same-record",
    "expires-before-given", "date-before-start", "link-required",
    "cancel-reason-required", "cancel-note-required", "resolved-before-raised",
    "date-order", "threshold-order", "person-email-required",
    "coordinates-incomplete", "held-in-future", "outcome-required",
    "period-overlap",
    # the state of records or of the instance
    "proposal-decided", "invitation-closed", "meeting-not-open", "geocoder-off",
    "taken", "password-wrong", "date-in-future", "period-finalised",
    "member-duplicate", "last-admin", "own-account", "invitation-open",
    "already-member", "not-a-representative", "no-email", "period-has-targets",
    "status-transition", "smtp-off", "year-in-future", "period-has-beyond",
    "geocoder-unreachable", "oparl-unreachable",
    # geocoding needs an address stored on the organisation, and one the
    # geocoder knows
    "address-missing", "address-not-found",
    "age-order", "period-dates-finalised", "project-in-use",
    # a page cursor is ours to give (from `next_cursor`), not to guess
    "cursor-invalid",
    # what a text says, beyond its shape: a guessable password, a
    # repetition rule (RFC 5545) the schedule cannot read
    "password-too-weak", "rrule-invalid",
    # a line of the search synonyms naming a single word
    "synonym-group-single",
    # what a file holds (its bytes, not its shape)
    "file-type", "file-empty",
    # surveys: the state of the survey, the organisations a selection
    # finds, a condition naming an earlier question, the choices a kind
    # needs, ids unique within the survey
    "survey-sent", "survey-closed", "survey-not-open", "selection-empty",
    "condition-invalid", "before-start", "choices-too-few", "id-invalid",
    "question-unknown",
    # mailings: the state of the mailing, the persons a selection finds
    # (consent, address)
    "mailing-sent", "mailing-no-recipients",
}

# Fields judged against other records: an answer to a survey is checked
# against that survey's questions.
BEYOND_PREFIXES = ("answers.",)

# `required` that depends on another field: (field, rule).
CONDITIONAL = {
    ("cost_text", "required"),      # when cost_kind is `amount`
    ("online_link", "required"),    # when the offer is online
    ("postcode", "required"),       # when the offer is elsewhere
    ("organisation", "required"),   # OParl: when none is stored yet
    ("body_id", "required"),        # body metrics need their body
    ("override_reason", "required"),
    ("mapping", "field-unknown"),   # the fields of the import's entity
    ("street", "required"),         # an offer held elsewhere
    ("city", "required"),
    ("system_url", "required"),     # OParl: when none is stored yet
    ("smtp_from", "required"),      # with a mail server, its sender
    ("record_id", "required"),      # a beyond item's record type names a record
    ("mapping", "object-required"), # a JSON object in a query parameter
    ("mapping", "json-invalid"),
    # a mailing's language version is subject and text together
    *((f"{part}.{lang}", "required")
      for part in ("subject", "text") for lang in ("en", "tr", "ar", "ru", "uk")),
}


def _rules(response):
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, int) and "entity" in body and "headers" in body:
        # The import's report: what the file's rows hold, judged by the
        # import's own rules (a file's bytes, not the request's shape).
        return []
    if not errors:
        return None
    # A rule may name where in a text it broke (`synonym-group-single@2`).
    return [(e.get("field", ""), e.get("rule", "").split("@")[0]) for e in errors]


@schemathesis.check
def only_rules_schemas_cannot_state(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code != 422:
        return None
    rules = _rules(response)
    if rules is None:
        raise AssertionError(
            "Valid data was refused with 422 without naming the rules broken"
        )
    stated = [
        (f, r) for f, r in rules
        if r not in RULES_BEYOND_SCHEMAS
        and (f, r) not in CONDITIONAL
        and not f.startswith(BEYOND_PREFIXES)
    ]
    if stated:
        raise AssertionError(
            "Valid data was refused for rules the document could state: "
            + ", ".join(f"{f}: {r}" for f, r in stated)
        )
    return None
