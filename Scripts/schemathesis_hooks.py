"""Schemathesis hooks for Scripts/api-schema-check.py: what the OpenAPI document cannot say.

`since` and `until` are each a valid day, but together `until` must come after `since` (the API
answers a 400 naming `until` otherwise); requests the generator makes with them reversed are
dropped, so that "a valid request was rejected" means what it says."""
import schemathesis


def day(value):
    return value.replace("-", "") if isinstance(value, str) else None


@schemathesis.hook
def filter_query(ctx, query):
    if not query:
        return True
    since, until = day(query.get("since")), day(query.get("until"))
    return not (since and until and until <= since)
