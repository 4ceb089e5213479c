"""The one exception type whose message is shown to the user as is, on one line."""


class CerniqError(Exception):
    """A user-facing failure: bad input, a missing server or tool, a refused operation."""
