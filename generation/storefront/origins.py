"""A storefront's allowed origins: a list of web origins (scheme, host, port), kept normalised so that the key's
check is an exact match: `https://shop.example.co` is not `https://shop.example.com`."""

from urllib.parse import urlsplit

from django.utils.translation import gettext

from retail_studio.errors import StudioError

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_normalised(origin: str) -> str:
    """`HTTPS://Shop.Example.com:443/` -> `https://shop.example.com`; what is not an origin raises StudioError."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        raise StudioError(
            gettext("“%(origin)s” is not an origin (scheme://host[:port]).") % {"origin": origin}
        ) from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise StudioError(
            gettext("“%(origin)s” is not an origin: it needs http:// or https:// and a host.") % {"origin": origin}
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise StudioError(
            gettext("“%(origin)s” is not an origin: no path, query or login, only scheme://host[:port].")
            % {"origin": origin}
        )
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[parts.scheme] else ""
    return f"{parts.scheme}://{host}{shown_port}"


def origins_normalised(origins, *, any_origin: bool) -> list[str]:
    """The origins as stored: a list of distinct normalised origins; none only with `any_origin`."""
    if not isinstance(origins, list | tuple) or not all(isinstance(o, str) for o in origins):
        raise StudioError(gettext('Allowed origins are a list of origins, e.g. ["https://shop.example.com"].'))
    normalised = list(dict.fromkeys(origin_normalised(o) for o in origins))
    if not normalised and not any_origin:
        raise StudioError(
            gettext("Name at least one allowed origin, or tick 'any origin' to let every web page use the key.")
        )
    return normalised
