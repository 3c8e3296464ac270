"""Word lists for the demo data generator: names, companies and places of several countries.

Each locale lists (native, latin) name pairs so e-mail addresses stay ASCII
while names keep their scripts (Latin with accents, Cyrillic, Greek, CJK, Hangul, Arabic).
"""

from __future__ import annotations

from dataclasses import dataclass

Name = tuple[str, str]  # (as written, romanised for e-mail)


@dataclass(frozen=True)
class Locale:
    country: str
    dial_code: str
    national_digits: int
    currency: str
    tax_rate: str
    first_names: tuple[Name, ...]
    last_names: tuple[Name, ...]
    company_forms: tuple[str, ...]
    cities: tuple[tuple[str, str, str], ...]  # (city, province, postal code pattern with #)
    streets: tuple[str, ...]
    domains: tuple[str, ...]


def _same(*names: str) -> tuple[Name, ...]:
    return tuple((name, name) for name in names)


LOCALES: tuple[Locale, ...] = (
    Locale(
        "de",
        "49",
        10,
        "eur",
        "0.19",
        (
            ("Jörg", "joerg"),
            ("Anna", "anna"),
            ("Lena", "lena"),
            ("Jürgen", "juergen"),
            ("Sophie", "sophie"),
            ("Lukas", "lukas"),
            ("Björn", "bjoern"),
            ("Käthe", "kaethe"),
            ("Maximilian", "maximilian"),
            ("Ute", "ute"),
        ),
        (
            ("Müller", "mueller"),
            ("Schäfer", "schaefer"),
            ("Groß", "gross"),
            ("Weiß", "weiss"),
            ("Becker", "becker"),
            ("Hoffmann", "hoffmann"),
            ("Schröder", "schroeder"),
            ("Köhler", "koehler"),
            ("Fischer", "fischer"),
            ("Krüger", "krueger"),
        ),
        ("GmbH", "AG", "KG", "e.K."),
        (
            ("Berlin", "Berlin", "1####"),
            ("München", "Bayern", "8####"),
            ("Köln", "Nordrhein-Westfalen", "5####"),
            ("Hamburg", "Hamburg", "2####"),
        ),
        ("Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Gartenweg", "Lindenallee"),
        ("web.de", "gmx.de", "t-online.de", "gmail.com"),
    ),
    Locale(
        "fr",
        "33",
        9,
        "eur",
        "0.20",
        (
            ("Zoë", "zoe"),
            ("Chloé", "chloe"),
            ("Hélène", "helene"),
            ("François", "francois"),
            ("Léa", "lea"),
            ("Jérôme", "jerome"),
            ("Amélie", "amelie"),
            ("Théo", "theo"),
        ),
        (
            ("Dubois", "dubois"),
            ("Lefèvre", "lefevre"),
            ("Moreau", "moreau"),
            ("Girard", "girard"),
            ("Bérénger", "berenger"),
            ("Fontaine", "fontaine"),
            ("Rousseau", "rousseau"),
            ("Lemaître", "lemaitre"),
        ),
        ("SARL", "SA", "SAS"),
        (
            ("Paris", "Île-de-France", "750##"),
            ("Lyon", "Auvergne-Rhône-Alpes", "690##"),
            ("Marseille", "Provence-Alpes-Côte d'Azur", "130##"),
        ),
        ("rue de la Paix", "avenue Victor Hugo", "boulevard Saint-Germain", "rue des Écoles"),
        ("orange.fr", "free.fr", "laposte.net", "gmail.com"),
    ),
    Locale(
        "es",
        "34",
        9,
        "eur",
        "0.21",
        (
            ("José", "jose"),
            ("María", "maria"),
            ("Ángel", "angel"),
            ("Lucía", "lucia"),
            ("Iñaki", "inaki"),
            ("Begoña", "begona"),
        ),
        (
            ("García", "garcia"),
            ("Martínez", "martinez"),
            ("Núñez", "nunez"),
            ("Ibáñez", "ibanez"),
            ("López", "lopez"),
            ("Peña", "pena"),
        ),
        ("S.L.", "S.A."),
        (
            ("Madrid", "Madrid", "280##"),
            ("Sevilla", "Andalucía", "410##"),
            ("Bilbao", "País Vasco", "480##"),
        ),
        ("Calle Mayor", "Avenida de la Constitución", "Plaza de España"),
        ("telefonica.net", "gmail.com", "hotmail.es"),
    ),
    Locale(
        "se",
        "46",
        9,
        "eur",
        "0.25",
        (("Åsa", "asa"), ("Björn", "bjorn"), ("Linnéa", "linnea"), ("Örjan", "orjan")),
        (
            ("Åström", "astrom"),
            ("Öberg", "oberg"),
            ("Lindqvist", "lindqvist"),
            ("Ekström", "ekstrom"),
        ),
        ("AB",),
        (("Stockholm", "Stockholm", "11# ##"), ("Göteborg", "Västra Götaland", "41# ##")),
        ("Storgatan", "Drottninggatan", "Kungsgatan"),
        ("telia.com", "gmail.com"),
    ),
    Locale(
        "pl",
        "48",
        9,
        "eur",
        "0.23",
        (
            ("Łukasz", "lukasz"),
            ("Małgorzata", "malgorzata"),
            ("Paweł", "pawel"),
            ("Zofia", "zofia"),
            ("Grzegorz", "grzegorz"),
        ),
        (
            ("Wiśniewski", "wisniewski"),
            ("Wójcik", "wojcik"),
            ("Kowalczyk", "kowalczyk"),
            ("Zieliński", "zielinski"),
            ("Dąbrowska", "dabrowska"),
        ),
        ("Sp. z o.o.", "S.A."),
        (
            ("Kraków", "Małopolskie", "3#-###"),
            ("Warszawa", "Mazowieckie", "0#-###"),
            ("Łódź", "Łódzkie", "9#-###"),
        ),
        ("ul. Długa", "ul. Świętokrzyska", "ul. Marszałkowska"),
        ("wp.pl", "onet.pl", "gmail.com"),
    ),
    Locale(
        "gr",
        "30",
        10,
        "eur",
        "0.24",
        (
            ("Γιώργος", "giorgos"),
            ("Μαρία", "maria"),
            ("Νίκος", "nikos"),
            ("Ελένη", "eleni"),
            ("Δημήτρης", "dimitris"),
        ),
        (
            ("Παπαδόπουλος", "papadopoulos"),
            ("Οικονόμου", "oikonomou"),
            ("Γεωργίου", "georgiou"),
            ("Νικολάου", "nikolaou"),
        ),
        ("Α.Ε.", "Ο.Ε."),
        (("Αθήνα", "Αττική", "10# ##"), ("Θεσσαλονίκη", "Κεντρική Μακεδονία", "54# ##")),
        ("Οδός Ερμού", "Λεωφόρος Κηφισίας", "Οδός Αιόλου"),
        ("otenet.gr", "gmail.com"),
    ),
    Locale(
        "ua",
        "380",
        9,
        "eur",
        "0.20",
        (
            ("Олександр", "oleksandr"),
            ("Ірина", "iryna"),
            ("Дмитро", "dmytro"),
            ("Наталія", "nataliia"),
            ("Юлія", "yuliia"),
        ),
        (
            ("Шевченко", "shevchenko"),
            ("Коваленко", "kovalenko"),
            ("Бондаренко", "bondarenko"),
            ("Ткаченко", "tkachenko"),
            ("Кравчук", "kravchuk"),
        ),
        ("ТОВ",),
        (("Київ", "Київська область", "0####"), ("Львів", "Львівська область", "79###")),
        ("вул. Хрещатик", "вул. Шевченка", "просп. Свободи"),
        ("ukr.net", "gmail.com"),
    ),
    Locale(
        "jp",
        "81",
        10,
        "jpy",
        "0.10",
        (
            ("太郎", "taro"),
            ("花子", "hanako"),
            ("健太", "kenta"),
            ("さくら", "sakura"),
            ("翔太", "shota"),
            ("美咲", "misaki"),
        ),
        (
            ("佐藤", "sato"),
            ("鈴木", "suzuki"),
            ("高橋", "takahashi"),
            ("田中", "tanaka"),
            ("渡辺", "watanabe"),
            ("山本", "yamamoto"),
        ),
        ("株式会社", "合同会社"),
        (
            ("東京都", "東京都", "1##-####"),
            ("大阪市", "大阪府", "5##-####"),
            ("札幌市", "北海道", "0##-####"),
        ),
        ("千代田1-1", "中央区銀座4-2", "北区梅田3-5"),
        ("docomo.ne.jp", "yahoo.co.jp", "gmail.com"),
    ),
    Locale(
        "cn",
        "86",
        11,
        "usd",
        "0.13",
        (("伟", "wei"), ("芳", "fang"), ("静", "jing"), ("磊", "lei"), ("秀英", "xiuying")),
        (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen")),
        ("有限公司",),
        (("上海市", "上海", "200###"), ("北京市", "北京", "100###")),
        ("南京东路", "长安街", "淮海中路"),
        ("qq.com", "163.com"),
    ),
    Locale(
        "kr",
        "82",
        10,
        "usd",
        "0.10",
        (("민준", "minjun"), ("서연", "seoyeon"), ("지호", "jiho"), ("하은", "haeun")),
        (("김", "kim"), ("이", "lee"), ("박", "park"), ("최", "choi")),
        ("주식회사",),
        (("서울특별시", "서울", "0####"), ("부산광역시", "부산", "4####")),
        ("세종대로", "테헤란로", "해운대로"),
        ("naver.com", "daum.net"),
    ),
    Locale(
        "ae",
        "971",
        9,
        "usd",
        "0.05",
        (
            ("محمد", "mohammed"),
            ("فاطمة", "fatima"),
            ("أحمد", "ahmed"),
            ("ليلى", "layla"),
            ("عمر", "omar"),
        ),
        (
            ("الهاشمي", "alhashimi"),
            ("المنصوري", "almansouri"),
            ("الشامسي", "alshamsi"),
            ("النعيمي", "alnuaimi"),
        ),
        ("ذ.م.م",),
        (("دبي", "دبي", "#####"), ("أبوظبي", "أبوظبي", "#####")),
        ("شارع الشيخ زايد", "شارع الوصل", "شارع حمدان"),
        ("emirates.net.ae", "gmail.com"),
    ),
    Locale(
        "us",
        "1",
        10,
        "usd",
        "0.0725",
        _same("James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda"),
        (
            ("Smith", "smith"),
            ("Johnson", "johnson"),
            ("O'Brien", "obrien"),
            ("Williams", "williams"),
            ("Brown", "brown"),
            ("Davis", "davis"),
            ("García", "garcia"),
            ("Nguyen", "nguyen"),
        ),
        ("Inc.", "LLC", "Corp."),
        (
            ("New York", "NY", "100##"),
            ("San Francisco", "CA", "941##"),
            ("Austin", "TX", "787##"),
            ("Chicago", "IL", "606##"),
        ),
        ("Main Street", "Oak Avenue", "Maple Drive", "Broadway"),
        ("gmail.com", "yahoo.com", "outlook.com", "icloud.com"),
    ),
    Locale(
        "gb",
        "44",
        10,
        "gbp",
        "0.20",
        _same("Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Siobhán"),
        _same("Taylor", "Evans", "Thomas", "Roberts", "Walker", "Wright"),
        ("Ltd", "PLC"),
        (
            ("London", "Greater London", "SW1A #AA"),
            ("Manchester", "Greater Manchester", "M# #AB"),
            ("Edinburgh", "Scotland", "EH# #QQ"),
        ),
        ("High Street", "Station Road", "Church Lane"),
        ("btinternet.com", "gmail.com", "outlook.com"),
    ),
    Locale(
        "br",
        "55",
        11,
        "usd",
        "0.17",
        (
            ("João", "joao"),
            ("Ana", "ana"),
            ("Conceição", "conceicao"),
            ("Luís", "luis"),
            ("Gabriela", "gabriela"),
        ),
        (
            ("Gonçalves", "goncalves"),
            ("Araújo", "araujo"),
            ("Magalhães", "magalhaes"),
            ("Silva", "silva"),
            ("Conceição", "conceicao"),
        ),
        ("Ltda.", "S.A."),
        (("São Paulo", "SP", "01###-###"), ("Rio de Janeiro", "RJ", "20###-###")),
        ("Rua Augusta", "Avenida Paulista", "Rua das Flores"),
        ("uol.com.br", "gmail.com"),
    ),
    Locale(
        "tr",
        "90",
        10,
        "eur",
        "0.20",
        (
            ("Çağrı", "cagri"),
            ("Şule", "sule"),
            ("Gökhan", "gokhan"),
            ("Ayşe", "ayse"),
            ("İbrahim", "ibrahim"),
        ),
        (("Yılmaz", "yilmaz"), ("Öztürk", "ozturk"), ("Çelik", "celik"), ("Şahin", "sahin")),
        ("A.Ş.", "Ltd. Şti."),
        (("İstanbul", "İstanbul", "34###"), ("İzmir", "İzmir", "35###")),
        ("İstiklal Caddesi", "Bağdat Caddesi", "Atatürk Bulvarı"),
        ("hotmail.com", "gmail.com"),
    ),
)

COMPANY_STEMS: tuple[str, ...] = (
    "Nordlicht",
    "Atlas",
    "Bäckerei Sonnenschein",
    "Blue Harbor",
    "Kranich",
    "Polaris",
    "Café Central",
    "Olivenhain",
    "Sakura Trading",
    "Union Supply",
    "Horizon",
    "Edelweiß",
)

GROUP_NAMES: tuple[str, ...] = (
    "VIP",
    "Wholesale",
    "Newsletter",
    "Stammkunden",
    "Staff",
    "Grossistes",
    "Key accounts",
)

PRODUCTS: tuple[tuple[str, str], ...] = (
    # (title, price in EUR)
    ("Classic T-Shirt", "19.99"),
    ("Hoodie", "49.00"),
    ("Coffee Mug", "12.50"),
    ("Canvas Tote", "15.00"),
    ("Espresso Beans 1kg", "24.90"),
    ("Linen Napkins (4)", "29.00"),
    ("Ceramic Bowl", "18.75"),
    ("Wool Scarf", "39.95"),
    ("Notebook A5", "8.40"),
    ("Fountain Pen", "64.00"),
    ("Tea Sampler", "22.00"),
    ("Scented Candle", "16.90"),
    ("Cotton Socks (3 pairs)", "14.99"),
    ("Leather Wallet", "59.00"),
    ("Water Bottle", "21.50"),
    ("Gift Card", "50.00"),
    ("Chocolate Box", "11.20"),
    ("Olive Oil 500ml", "13.80"),
)

CURRENCY_RATES: dict[str, tuple[str, int]] = {
    # currency -> (EUR rate, decimals)
    "eur": ("1", 2),
    "usd": ("1.08", 2),
    "gbp": ("0.86", 2),
    "jpy": ("160", 0),
}

REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Europe", "eur", ("de", "fr", "es", "se", "pl", "gr", "ua", "tr", "at", "it", "nl")),
    ("United Kingdom", "gbp", ("gb",)),
    ("Japan", "jpy", ("jp",)),
    ("Rest of world", "usd", ("us", "cn", "kr", "ae", "br", "ca", "au")),
)

EMAIL_TAGS: tuple[str, ...] = ("shop", "orders", "newsletter", "store", "2024")
METADATA_SOURCES: tuple[str, ...] = ("pos", "web", "import", "phone")
