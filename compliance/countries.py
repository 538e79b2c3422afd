"""ISO 3166-1 alpha-2 country codes, the groups licenses and policies use (EU, EEA, WORLD), and the English
names license texts use for them. Membership is as of 2026 (EU: 27 states; EEA: EU plus IS, LI, NO)."""
from __future__ import annotations

import re

# code -> English short name (ISO 3166-1, 249 assigned codes).
COUNTRIES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan", "AG": "Antigua and Barbuda",
    "AI": "Anguilla", "AL": "Albania", "AM": "Armenia", "AO": "Angola", "AQ": "Antarctica", "AR": "Argentina",
    "AS": "American Samoa", "AT": "Austria", "AU": "Australia", "AW": "Aruba", "AX": "Aland Islands",
    "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados", "BD": "Bangladesh", "BE": "Belgium",
    "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain", "BI": "Burundi", "BJ": "Benin",
    "BL": "Saint Barthelemy", "BM": "Bermuda", "BN": "Brunei Darussalam", "BO": "Bolivia",
    "BQ": "Bonaire, Sint Eustatius and Saba", "BR": "Brazil", "BS": "Bahamas", "BT": "Bhutan",
    "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize", "CA": "Canada",
    "CC": "Cocos (Keeling) Islands", "CD": "Congo, Democratic Republic of the", "CF": "Central African Republic",
    "CG": "Congo", "CH": "Switzerland", "CI": "Cote d'Ivoire", "CK": "Cook Islands", "CL": "Chile",
    "CM": "Cameroon", "CN": "China", "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba", "CV": "Cabo Verde",
    "CW": "Curacao", "CX": "Christmas Island", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
    "DJ": "Djibouti", "DK": "Denmark", "DM": "Dominica", "DO": "Dominican Republic", "DZ": "Algeria",
    "EC": "Ecuador", "EE": "Estonia", "EG": "Egypt", "EH": "Western Sahara", "ER": "Eritrea", "ES": "Spain",
    "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji", "FK": "Falkland Islands", "FM": "Micronesia",
    "FO": "Faroe Islands", "FR": "France", "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada",
    "GE": "Georgia", "GF": "French Guiana", "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar",
    "GL": "Greenland", "GM": "Gambia", "GN": "Guinea", "GP": "Guadeloupe", "GQ": "Equatorial Guinea",
    "GR": "Greece", "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras", "HR": "Croatia", "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India", "IO": "British Indian Ocean Territory", "IQ": "Iraq",
    "IR": "Iran", "IS": "Iceland", "IT": "Italy", "JE": "Jersey", "JM": "Jamaica", "JO": "Jordan",
    "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia", "KI": "Kiribati", "KM": "Comoros",
    "KN": "Saint Kitts and Nevis", "KP": "North Korea", "KR": "South Korea", "KW": "Kuwait",
    "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Laos", "LB": "Lebanon", "LC": "Saint Lucia",
    "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia", "LS": "Lesotho", "LT": "Lithuania",
    "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya", "MA": "Morocco", "MC": "Monaco", "MD": "Moldova",
    "ME": "Montenegro", "MF": "Saint Martin (French part)", "MG": "Madagascar", "MH": "Marshall Islands",
    "MK": "North Macedonia", "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia", "MO": "Macao",
    "MP": "Northern Mariana Islands", "MQ": "Martinique", "MR": "Mauritania", "MS": "Montserrat", "MT": "Malta",
    "MU": "Mauritius", "MV": "Maldives", "MW": "Malawi", "MX": "Mexico", "MY": "Malaysia", "MZ": "Mozambique",
    "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger", "NF": "Norfolk Island", "NG": "Nigeria",
    "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway", "NP": "Nepal", "NR": "Nauru", "NU": "Niue",
    "NZ": "New Zealand", "OM": "Oman", "PA": "Panama", "PE": "Peru", "PF": "French Polynesia",
    "PG": "Papua New Guinea", "PH": "Philippines", "PK": "Pakistan", "PL": "Poland",
    "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn", "PR": "Puerto Rico", "PS": "Palestine",
    "PT": "Portugal", "PW": "Palau", "PY": "Paraguay", "QA": "Qatar", "RE": "Reunion", "RO": "Romania",
    "RS": "Serbia", "RU": "Russia", "RW": "Rwanda", "SA": "Saudi Arabia", "SB": "Solomon Islands",
    "SC": "Seychelles", "SD": "Sudan", "SE": "Sweden", "SG": "Singapore", "SH": "Saint Helena",
    "SI": "Slovenia", "SJ": "Svalbard and Jan Mayen", "SK": "Slovakia", "SL": "Sierra Leone",
    "SM": "San Marino", "SN": "Senegal", "SO": "Somalia", "SR": "Suriname", "SS": "South Sudan",
    "ST": "Sao Tome and Principe", "SV": "El Salvador", "SX": "Sint Maarten (Dutch part)", "SY": "Syria",
    "SZ": "Eswatini", "TC": "Turks and Caicos Islands", "TD": "Chad", "TF": "French Southern Territories",
    "TG": "Togo", "TH": "Thailand", "TJ": "Tajikistan", "TK": "Tokelau", "TL": "Timor-Leste",
    "TM": "Turkmenistan", "TN": "Tunisia", "TO": "Tonga", "TR": "Turkey", "TT": "Trinidad and Tobago",
    "TV": "Tuvalu", "TW": "Taiwan", "TZ": "Tanzania", "UA": "Ukraine", "UG": "Uganda",
    "UM": "United States Minor Outlying Islands", "US": "United States", "UY": "Uruguay", "UZ": "Uzbekistan",
    "VA": "Holy See", "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela",
    "VG": "Virgin Islands (British)", "VI": "Virgin Islands (U.S.)", "VN": "Viet Nam", "VU": "Vanuatu",
    "WF": "Wallis and Futuna", "WS": "Samoa", "YE": "Yemen", "YT": "Mayotte", "ZA": "South Africa",
    "ZM": "Zambia", "ZW": "Zimbabwe",
}

EU: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EEA: frozenset[str] = EU | {"IS", "LI", "NO"}
GROUPS: dict[str, frozenset[str]] = {
    "EU": EU,
    "EEA": EEA,
    "WORLD": frozenset(COUNTRIES),
}
GROUP_NAMES = {"EU": "European Union", "EEA": "European Economic Area", "WORLD": "worldwide"}
# Spellings people write that are not ISO codes.
ALIASES = {"UK": "GB", "EL": "GR"}


def canonical(code: str) -> str | None:
    """The canonical code or group for ``code`` (case-insensitive, ``UK`` -> ``GB``), or None."""
    upper = code.strip().upper()
    upper = ALIASES.get(upper, upper)
    if upper in COUNTRIES or upper in GROUPS:
        return upper
    return None


def is_territory_code(code: str) -> bool:
    return code in COUNTRIES or code in GROUPS


def expand(code: str) -> frozenset[str]:
    """The countries a code or group stands for."""
    return GROUPS.get(code, frozenset({code}) if code in COUNTRIES else frozenset())


def overlaps(a: str, b: str) -> bool:
    """True when two codes or groups share a country (``DE`` and ``EU``; ``EU`` and ``EEA``)."""
    return bool(expand(a) & expand(b))


def display(code: str) -> str:
    return GROUP_NAMES.get(code) or COUNTRIES.get(code) or code


# Names as license texts write them, mapped to codes; longest first so "south korea" wins over "korea".
_TEXT_NAMES: dict[str, str] = {name.lower(): code for code, name in COUNTRIES.items()}
_TEXT_NAMES.update({
    "european union": "EU", "the eu": "EU", "european economic area": "EEA", "eea": "EEA",
    "united kingdom": "GB", "great britain": "GB", "the uk": "GB", "u.k.": "GB",
    "south korea": "KR", "republic of korea": "KR", "korea": "KR",
    "people's republic of china": "CN", "mainland china": "CN", "prc": "CN",
    "united states of america": "US", "united states": "US", "u.s.": "US", "usa": "US",
    "russian federation": "RU", "hong kong sar": "HK", "hong kong special administrative region": "HK",
    "iran, islamic republic of": "IR", "syrian arab republic": "SY", "vietnam": "VN",
    "czech republic": "CZ", "the netherlands": "NL", "turkiye": "TR", "macau": "MO",
})
_NAME_PATTERN: re.Pattern[str] | None = None  # compiled on first use: ~300 alternatives cost ~10 ms


def names_in(text: str) -> list[str]:
    """Codes of the countries and groups named in ``text`` (lower case expected), in order, without repeats."""
    global _NAME_PATTERN
    if _NAME_PATTERN is None:
        _NAME_PATTERN = re.compile(
            r"(?<![a-z])(" + "|".join(re.escape(n) for n in sorted(_TEXT_NAMES, key=len, reverse=True)) + r")(?![a-z])")
    seen: list[str] = []
    for match in _NAME_PATTERN.finditer(text):
        code = _TEXT_NAMES[match.group(1)]
        if code not in seen:
            seen.append(code)
    return seen


_GENERIC = {"the", "and", "of", "united", "republic", "islands", "island", "saint", "south", "north", "new", "east",
            "west", "central", "democratic", "federation", "people's", "s", "sar", "special", "administrative",
            "region", "state", "states", "french", "british", "u", "k", "part", "dutch", "and"}
_KEYWORDS = frozenset(
    word
    for name in _TEXT_NAMES
    for word in re.findall(r"[a-z']+", name)
    if word not in _GENERIC
) | {"states", "kingdom", "korea"}
_WORD = re.compile(r"[a-z']+")


def may_name_place(text: str) -> bool:
    """A cheap test (lower-case text) before :func:`names_in`: does any word of a country name occur?"""
    return not _KEYWORDS.isdisjoint(_WORD.findall(text))
