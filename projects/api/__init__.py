"""The read-only open data API at /api/: the catalog's public records as JSON (docs/api.md).

`instance.api` is the NinjaAPI; each resource has its module (projects, organizations, events, taxonomy,
annual_results); `gate` is the one door every request goes through (anonymous, rate limited, GET only);
`responses` caches each answer until the content changes; `docs` renders the Japanese documentation page
from the OpenAPI schema.
"""
