"""The one base of errors a person is meant to read: each carries the message in
Chinese for the app and the CLI's users (`message_zh`) and in English for logs and
`--json` output (`message_en`, also the exception's text).

Subclasses live with the code that raises them (`reading.problems.ReadError`,
`storing.publish.StoreWriteError`, `changes.corrections.CorrectionError`, …) and
add nothing but their name, so a caller that shows errors to people catches
`UserError` and shows `message_zh`; anything else is a bug and is logged.
"""

from __future__ import annotations


class UserError(Exception):
    """Something a person can act on, said in both languages."""

    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh
