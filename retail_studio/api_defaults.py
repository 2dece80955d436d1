"""The API's default parser and pagination, named by REST_FRAMEWORK in the settings. DRF imports them while
rest_framework.views loads, so this module must not import that (or anything that does)."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser


class UnicodeJSONParser(JSONParser):
    """JSON whose text is real Unicode: an escaped lone surrogate ("\\udb9a") parses in Python but can be
    stored by no database, so it is refused here with a 400 rather than failing as a 500 on save."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError("The JSON holds text that is not valid Unicode (a lone surrogate escape).") from None
        return data


class StudioPagination(PageNumberPagination):
    """`?page=N`, and `?page_size=` up to 200 for scripts that sync a catalog."""

    page_size_query_param = "page_size"
    max_page_size = 200
