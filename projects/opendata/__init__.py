"""Open data downloads (/opendata/): the catalog's public records as CSV and JSON files.

- `datasets`: what each dataset publishes, column by column, built on `projects.public_records` (the same
  records the API returns);
- `writers`: the CSV and JSON formats;
- `storage`: the files in Django's default storage under `opendata/`, with their manifest;
- `generation`: builds every file (`generate_open_data()`), which `tasks.regenerate_open_data` runs;
- `schedule`: the invalidation listener that queues the task once per transaction that changes content;
- `catalog`: the page's DCAT-style JSON-LD.

Nothing here runs while a visitor waits: the files are made by the worker and only read by the page.
"""
