"""The /opendata/ page's JSON-LD: a DCAT catalog (dcat:Catalog) of the datasets and their files, so that
data portals and search engines can harvest them."""

from home import origin, seo

from .datasets import MEDIA_TYPES, file_format

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dcat_catalog(page_url, title, description, views, terms):
    """`views` are listing.DatasetView; files not generated yet are left out."""
    publisher = {"@type": "foaf:Organization", "foaf:name": terms.publisher}
    datasets = []
    for view in views:
        if not view.ready:
            continue
        modified = view.updated_at.isoformat()
        datasets.append(
            seo.compact(
                {
                    "@type": "dcat:Dataset",
                    "@id": f"{page_url}#{view.dataset.key}",
                    "dct:title": view.dataset.title,
                    "dct:description": view.dataset.description,
                    "dct:license": {"@id": terms.license_url},
                    "dct:publisher": publisher,
                    "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
                    "dcat:keyword": list(view.dataset.keywords),
                    "dcat:landingPage": {"@id": f"{page_url}#{view.dataset.key}"},
                    "dcat:distribution": [
                        {
                            "@type": "dcat:Distribution",
                            "dct:title": file.name,
                            "dcat:downloadURL": {"@id": origin.absolute_url(f"{_path(page_url)}{file.name}")},
                            "dcat:mediaType": MEDIA_TYPES[file_format(file.name)],
                            "dcat:byteSize": {"@value": str(file.bytes), "@type": "xsd:decimal"},
                            "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
                            "dct:license": {"@id": terms.license_url},
                        }
                        for file in view.files
                    ],
                }
            )
        )
    return {
        "@context": CONTEXT,
        "@type": "dcat:Catalog",
        "@id": page_url,
        "dct:title": title,
        "dct:description": description,
        "dct:publisher": publisher,
        "dct:license": {"@id": terms.license_url},
        "foaf:homepage": {"@id": page_url},
        "dcat:dataset": datasets,
    }


def _path(url):
    from urllib.parse import urlsplit

    return urlsplit(url).path
