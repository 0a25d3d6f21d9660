"""All console messages, merged from one module per area so that each area's
keys live beside each other (messages_<area>.py, key -> (English, 简体中文))."""

from server.i18n import (
    messages_console,
    messages_outbox,
    messages_photos,
    messages_setup,
    messages_supervision,
)

MESSAGES: dict[str, tuple[str, str]] = {}
for _module in (messages_console, messages_supervision, messages_setup, messages_outbox, messages_photos):
    _clash = MESSAGES.keys() & _module.MESSAGES.keys()
    if _clash:
        raise RuntimeError(f"duplicate message keys: {sorted(_clash)}")
    MESSAGES.update(_module.MESSAGES)
