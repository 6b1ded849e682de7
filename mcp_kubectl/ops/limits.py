"""The bounds operations put on what a model may ask for."""

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
DEFAULT_TAIL_LINES = 200
CONTINUE_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.")
