"""The NinjaAPI behind /api/v1/: every app's router, one authentication, one error format.

The OpenAPI schema is at /api/v1/openapi.json. Ninja's interactive docs page is switched off:
it loads Swagger UI from a CDN, which the CSP and the no-network rule forbid.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI

from ictmonitor.api.auth import api_auth
from ictmonitor.connectivity.api import router as connectivity_router
from ictmonitor.registry.api import router as registry_router

DESCRIPTION = """\
The ICT monitor for schools, read by programs.

Authenticate with an API token (`Authorization: Bearer ictm_...`, made with
`ictmonitor token create USERNAME --name NAME`) or, from the browser, with the session of a
logged-in user. Every operation shows only what the token's or session's user may see; a school
you may not see answers 404, like one that does not exist.

Errors are JSON: `{"detail": "..."}`; a 422 lists each problem with its location. An upload
whose multipart body cannot be read answers 400.

Uploads run as background jobs. `POST /connectivity/feeds` and `POST /vouchers/feeds` answer
**202 Accepted** at once with the job (its `id`, and its address as `url` and in the `Location`
header), not with the import's result: poll `GET /jobs/{id}` until its `state` is `succeeded`,
`refused` or `failed`; its `result` then has the counts (`import_id`, `rows`, `created`,
`updated`, `unchanged`) or the problems that refused the file (nothing imported). A file that
is too large answers 413 and one you may not send 403 before anything reads it. (Until this
version the feeds answered 200 with the counts, or 422 with the problems, and the two named the
import `id` and `import_id`.)
"""

api = NinjaAPI(
    title="ictmonitor API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    auth=api_auth,
)
api.add_router("", registry_router)
api.add_router("", connectivity_router)
api.add_router("", "ictmonitor.vouchers.api.router")
api.add_router("", "ictmonitor.assessment.api.router")
api.add_router("", "ictmonitor.incidents.api.router")
api.add_router("", "ictmonitor.jobs.api.router")
api.add_router("", "ictmonitor.measurements.api.router")


@api.exception_handler(MultiPartParserError)
def unreadable_upload(request: HttpRequest, error: MultiPartParserError) -> HttpResponse:
    """A multipart body Django cannot parse: a JSON 400 instead of Django's HTML page."""
    return api.create_response(
        request, {"detail": f"The upload could not be read as multipart/form-data: {error}"},
        status=400)
