"""Demo content for `manage.py load_demo`: the center's first pro bono year (2016–2017) and a catalog.

The data lives in catalog.json (the catalog import format) and site.json (the center's own pages); images are
in images/. catalog.py, site.py and generator.py turn them into pages; accounts.py makes the demo login.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent
