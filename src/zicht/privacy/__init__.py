"""The privacy guard: finds direct identifiers in tables before anything else reads them.

zicht only ever holds pseudonymous data. An extract that carries a BSN, a name, a street address, a phone
number, an e-mail address or a full date of birth must be refused at the door, and the refusal itself must
not leak the value: findings carry a masked value only (``mask``), and nothing here logs cell contents.

Public API (used by validate and harmonise):

- ``is_bsn(text)``: 9 digits passing the 11-check.
- ``mask(text)``: the masked form shown in reports, e.g. ``123******``.
- ``scan_frame(frame, file=...)``: one ``PrivacyFinding`` per offending cell or column.
"""

from zicht.privacy.detect import (
    KINDS,
    PrivacyFinding,
    column_name_kind,
    is_bsn,
    mask,
    scan_frame,
    value_kind,
)

__all__ = ["KINDS", "PrivacyFinding", "column_name_kind", "is_bsn", "mask", "scan_frame", "value_kind"]
