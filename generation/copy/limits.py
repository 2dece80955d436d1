"""How long each kind of copy may be, per language, in characters: a search-result title, a short description,
ad texts. A Chinese character carries about two English letters' worth of meaning, so its limits are about half.
A shop's channels may say otherwise (the COPY_LIMITS setting); the writer plans within the limit, it never cuts."""

KINDS = ("title", "description", "description_long", "ad_headline", "ad_description")

KIND_LIMITS = {
    "en": {"title": 70, "description": 160, "description_long": 2000, "ad_headline": 30, "ad_description": 90},
    "zh": {"title": 30, "description": 80, "description_long": 1000, "ad_headline": 15, "ad_description": 45},
}

Limits = dict[str, dict[str, int]]


def kind_limit(kind: str, language: str, overrides: Limits | None = None) -> int:
    """The limit for `kind` in `language`; an unknown kind is a bug, so it raises."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of copy: {kind!r}; one of {', '.join(KINDS)}.")
    own = (overrides or {}).get(language, {})
    return own.get(kind) or KIND_LIMITS.get(language, KIND_LIMITS["en"])[kind]


def parse_limits(spec: str) -> Limits:
    """ "zh.ad_headline=12, en.title=60" -> {"zh": {"ad_headline": 12}, "en": {"title": 60}}."""
    limits: Limits = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, _, number = part.partition("=")
        language, _, kind = key.strip().partition(".")
        if kind not in KINDS or not number.strip().isdigit() or int(number) < 1:
            raise ValueError(
                f"COPY_LIMITS: {part!r} is not LANGUAGE.KIND=CHARACTERS with a kind of {', '.join(KINDS)}."
            )
        limits.setdefault(language, {})[kind] = int(number)
    return limits
