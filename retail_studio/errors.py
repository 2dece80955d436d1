class StudioError(Exception):
    """Something a person asked for that the studio refuses, with a message for them (HackSoft's
    ApplicationError, Zulip's JsonableError). Views and the API turn it into a message; a ValueError from a bug
    stays a 500."""

    # What the API answers with it; a refusal because the state moved on (someone decided first) says 409.
    http_status = 400
