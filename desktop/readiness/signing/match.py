"""Does a certificate belong to the commune a file names?  Vietnamese organisation names, normalised.

An organisation certificate of the Government Cipher Committee names the commune's People's
Committee in its subject, spelt in many ways: ``O=UBND xã Đăk Hà``, ``O=Ủy ban nhân dân xã Đăk Hà``,
``CN=UỶ BAN NHÂN DÂN XÃ ĐĂK HÀ``, ``O=UBND xã Đăk Hà, tỉnh Quảng Ngãi``.  The register says
``Xã Đăk Hà``.  We compare, for O, then CN, then each OU of the subject:

1. the name with "Ủy ban nhân dân"/"UBND" dropped in front and anything after a comma (", tỉnh ...")
   dropped behind, against the register name with :func:`readiness.text.same_name` (case, spacing,
   tone-mark placement "Uỷ"/"Ủy");
2. failing that, without diacritics (:func:`readiness.text.fold`: "Đắk Hà" = "Đăk Hà"), but only when
   no other unit of the province folds to the same name;
3. the bare name ("Đăk Hà" without "Xã"), under the same uniqueness rule.

An explicit commune code in the subject (``serialNumber``/``UID`` of five digits, or "Mã ĐVHC: 23500"
in any attribute) decides on its own: the same code matches, another code does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..register import Commune
from ..text import clean, fold, same_name
from .certs import CertInfo

_COMMITTEE = (("uy", "ban", "nhan", "dan"), ("ubnd",), ("tm", "ubnd"), ("tm.", "ubnd"))
_SEGMENT = re.compile(r"\s*(?:[,;]|\s[-–—]\s)\s*")
_CODE_IN_TEXT = re.compile(r"(?:ma\s*(?:dvhc|don vi hanh chinh|xa)|ma_xa|maxa|madvhc)\s*[:=]?\s*(\d{5})\b")


@dataclass(frozen=True)
class OrgMatch:
    ok: bool
    via: str  # "code" | "name" | "folded" | "bare" | "" (no match)
    certificate_name: str  # the subject value that matched (or the one shown when none did)
    reason: str = ""  # Vietnamese, when not ok


def core_name(text: str) -> str:
    """``UBND xã Đăk Hà, tỉnh Quảng Ngãi`` -> ``xã Đăk Hà``."""
    text = clean(text)
    text = _SEGMENT.split(text, maxsplit=1)[0]
    words = text.split(" ")
    folded = [fold(w) for w in words]
    for prefix in _COMMITTEE:
        if tuple(folded[: len(prefix)]) == prefix and len(words) > len(prefix):
            words = words[len(prefix):]
            break
    return " ".join(words).strip()


def codes_in(info: CertInfo) -> set[str]:
    """Commune codes the subject states explicitly."""
    found: set[str] = set()
    for value in (info.serial_number, info.uid):
        if value and re.fullmatch(r"\d{5}", value.strip()):
            found.add(value.strip())
    for value in (info.organization, info.common_name, info.serial_number, info.uid, *info.org_units):
        if value:
            found.update(_CODE_IN_TEXT.findall(fold(value)))
    return found


def _former_names(commune: Commune) -> list[str]:
    if not commune.former_units:
        return []
    return [part.split(" (")[0].strip() for part in commune.former_units.split(";") if part.strip()]


def _counts(communes: Sequence[Commune]) -> tuple[dict, dict]:
    """How many units of each province fold to each full name and each bare name."""
    full: dict[tuple[str, str], int] = {}
    bare: dict[tuple[str, str], int] = {}
    for commune in communes:
        key = (commune.province_code, fold(commune.name))
        full[key] = full.get(key, 0) + 1
        key = (commune.province_code, fold(commune.bare_name))
        bare[key] = bare.get(key, 0) + 1
    return full, bare


@lru_cache(maxsize=1)
def _default_counts() -> tuple[dict, dict]:
    from ..register import load_register

    return _counts(load_register())


def match_commune(info: CertInfo, commune: Commune, register: Sequence[Commune] | None = None) -> OrgMatch:
    """Whether the certificate ``info`` was issued to ``commune`` (see the module docstring)."""
    full_counts, bare_counts = _counts(register) if register is not None else _default_counts()
    shown = info.organization or info.common_name or info.subject
    codes = codes_in(info)
    if codes:
        if commune.code in codes:
            return OrgMatch(True, "code", shown)
        return OrgMatch(False, "", shown, f"chứng thư số ghi mã đơn vị {', '.join(sorted(codes))}, "
                        f"không phải mã {commune.code} của {commune.name}")
    candidates = [v for v in (info.organization, info.common_name, *info.org_units) if v]
    province = commune.province_code
    for value in candidates:
        core = core_name(value)
        if not core:
            continue
        if same_name(core, commune.name):
            return OrgMatch(True, "name", value)
        if fold(core) == fold(commune.name) and full_counts.get((province, fold(core)), 0) <= 1:
            return OrgMatch(True, "folded", value)
        if same_name(core, commune.bare_name) or fold(core) == fold(commune.bare_name):
            if bare_counts.get((province, fold(core)), 0) <= 1:
                return OrgMatch(True, "bare", value)
    reason = f"chứng thư số cấp cho «{shown}», không phải {commune.name} (mã {commune.code}) ghi trong tệp"
    for value in candidates:
        core = core_name(value)
        if any(fold(core) == fold(old) for old in _former_names(commune)):
            reason += (f"; «{core}» là đơn vị cũ trước sắp xếp, cần chứng thư số cấp cho {commune.name}")
            break
    return OrgMatch(False, "", shown, reason)
