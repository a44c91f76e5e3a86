"""The API's second format: DATAtourisme JSON-LD, the national flux's shape, for offers (`?format=jsonld` or
`Accept: application/ld+json`). The document comes from the export registry (interop registers it), so the API and
the search page's export say the same thing; errors stay plain JSON."""

import json

from rest_framework.renderers import BaseRenderer


class DatatourismeJsonLd(BaseRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
    charset = None  # the bytes carry their own encoding (UTF-8)

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()
