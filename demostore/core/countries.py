"""The countries the demo knows (Medusa seeds all ISO 3166 countries; these cover the demo data)."""

from __future__ import annotations

# iso_2 -> (iso_3, num_code, NAME, display name), as Medusa's region module prints them.
COUNTRIES: dict[str, tuple[str, str, str, str]] = {
    "ae": ("are", "784", "UNITED ARAB EMIRATES", "United Arab Emirates"),
    "at": ("aut", "040", "AUSTRIA", "Austria"),
    "au": ("aus", "036", "AUSTRALIA", "Australia"),
    "be": ("bel", "056", "BELGIUM", "Belgium"),
    "br": ("bra", "076", "BRAZIL", "Brazil"),
    "ca": ("can", "124", "CANADA", "Canada"),
    "ch": ("che", "756", "SWITZERLAND", "Switzerland"),
    "cn": ("chn", "156", "CHINA", "China"),
    "cz": ("cze", "203", "CZECH REPUBLIC", "Czech Republic"),
    "de": ("deu", "276", "GERMANY", "Germany"),
    "dk": ("dnk", "208", "DENMARK", "Denmark"),
    "eg": ("egy", "818", "EGYPT", "Egypt"),
    "es": ("esp", "724", "SPAIN", "Spain"),
    "fi": ("fin", "246", "FINLAND", "Finland"),
    "fr": ("fra", "250", "FRANCE", "France"),
    "gb": ("gbr", "826", "UNITED KINGDOM", "United Kingdom"),
    "gr": ("grc", "300", "GREECE", "Greece"),
    "ie": ("irl", "372", "IRELAND", "Ireland"),
    "in": ("ind", "356", "INDIA", "India"),
    "it": ("ita", "380", "ITALY", "Italy"),
    "jp": ("jpn", "392", "JAPAN", "Japan"),
    "kr": ("kor", "410", "KOREA, REPUBLIC OF", "Korea, Republic of"),
    "mx": ("mex", "484", "MEXICO", "Mexico"),
    "nl": ("nld", "528", "NETHERLANDS", "Netherlands"),
    "no": ("nor", "578", "NORWAY", "Norway"),
    "pl": ("pol", "616", "POLAND", "Poland"),
    "pt": ("prt", "620", "PORTUGAL", "Portugal"),
    "sa": ("sau", "682", "SAUDI ARABIA", "Saudi Arabia"),
    "se": ("swe", "752", "SWEDEN", "Sweden"),
    "tr": ("tur", "792", "TURKEY", "Turkey"),
    "ua": ("ukr", "804", "UKRAINE", "Ukraine"),
    "us": ("usa", "840", "UNITED STATES", "United States"),
}
