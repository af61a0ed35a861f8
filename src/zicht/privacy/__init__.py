"""The privacy guard: finds direct identifiers in tables before anything else reads them.

zicht only ever holds pseudonymous data. An extract that carries a BSN, a name, a street address, a phone
number, an e-mail address or a full date of birth must be refused at the door, and the refusal itself must
not leak the value: findings carry a masked value only (``mask``), and nothing here logs cell contents.

Public API (used by validate and harmonise):

- ``normalise(text)``: the text as the guard reads it (NFKC, Unicode digits and spaces, dashes).
- ``is_bsn(text)``: 9 digits passing the 11-check, in every separator and numeric form exports produce.
- ``mask(text)``: the form shown in reports instead of the value: stars only, nothing of the value.
- ``scan_frame(frame, file=...)``: one ``PrivacyFinding`` per offending cell or column.
- ``text_findings(text)``: identifiers inside one free text (note, title, label, URL part), with positions.
- ``redact(text)``: a message that quotes input, with every identifier replaced by ``[withheld: kind]``.
"""

from zicht.privacy.detect import (
    KINDS,
    PrivacyFinding,
    TextFinding,
    column_name_kind,
    is_bsn,
    mask,
    normalise,
    redact,
    scan_frame,
    text_findings,
    value_kind,
)

__all__ = [
    "KINDS",
    "PrivacyFinding",
    "TextFinding",
    "column_name_kind",
    "is_bsn",
    "mask",
    "normalise",
    "redact",
    "scan_frame",
    "text_findings",
    "value_kind",
]
