"""Story texts shared by the story tests: one event reported three times (two English
outlets and one Indonesian), another event of the same kind, and unrelated background."""

from __future__ import annotations

from datetime import UTC, datetime

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

MUSK_EN_1 = (
    "Elon Musk buys 10,000 Nvidia GPUs for a new generative AI project at Twitter",
    "Elon Musk has bought roughly 10,000 graphics processing units from Nvidia for a "
    "generative artificial intelligence project inside Twitter, according to people familiar "
    "with the purchase. The GPUs will run in one of Twitter's two remaining data centers in "
    "Atlanta, where engineers are building a large language model. Musk publicly signed a "
    "letter calling for a pause on advanced AI research only weeks ago. Twitter has hired "
    "Igor Babuschkin and Manuel Kroiss, two engineers from DeepMind, to lead the project. "
    "The purchase of the Nvidia hardware is said to cost tens of millions of dollars.",
)
MUSK_EN_2 = (
    "Musk reportedly snapped up 10,000 Nvidia GPUs for Twitter's own large language model",
    "Twitter owner Elon Musk reportedly acquired about 10,000 Nvidia GPUs to build a large "
    "language model of Twitter's own, even after signing a letter urging a pause on AI. The "
    "graphics processing units sit in Twitter's Atlanta data center, people familiar with the "
    "purchase said. Former DeepMind engineers Igor Babuschkin and Manuel Kroiss joined Twitter "
    "in March to work on the generative AI project. The GPUs cost tens of millions of "
    "dollars, a large outlay for a company whose revenue has fallen since Musk bought it.",
)
MUSK_ID = (
    "Elon Musk Borong 10.000 GPU Nvidia untuk Proyek AI Generatif Twitter",
    "Elon Musk dikabarkan membeli sekitar 10.000 GPU dari Nvidia untuk proyek kecerdasan "
    "buatan generatif di Twitter. Ribuan kartu grafis tersebut dipasang di pusat data Twitter "
    "di Atlanta, tempat para insinyur membangun model bahasa besar. Twitter juga merekrut Igor "
    "Babuschkin dan Manuel Kroiss, dua insinyur dari DeepMind, untuk memimpin proyek ini. "
    "Pembelian perangkat keras Nvidia itu disebut bernilai puluhan juta dolar, padahal Musk "
    "baru saja menandatangani surat yang meminta jeda riset AI canggih.",
)
META_GPUS = (
    "Meta orders 350,000 Nvidia H100 GPUs to train the next Llama models",
    "Mark Zuckerberg said Meta will own about 350,000 Nvidia H100 graphics processing units "
    "by the end of the year to train future versions of its Llama large language models. "
    "Zuckerberg announced the plan in a video posted to Instagram and Threads, saying Meta "
    "wants to build artificial general intelligence and release it responsibly. Counting "
    "other chips, Meta's compute will equal nearly 600,000 H100s. The company is also "
    "bringing its FAIR research group closer to its generative AI product team.",
)
BACKGROUND = [
    ("Samsung Galaxy S27 Ultra battery leak points to 5,500 mAh cell",
     "A new leak from a regulatory filing in Korea suggests the Galaxy S27 Ultra will carry a "
     "5,500 mAh battery, up from the 5,000 mAh cell that Samsung has used for five years. The "
     "filing also lists faster 65 W wired charging. Samsung is expected to unveil the phone "
     "in January alongside the regular Galaxy S27 and the S27 Plus in San Jose."),
    ("Steam Winter Sale 2026 dates confirmed by Valve",
     "Valve has confirmed that the Steam Winter Sale will run from December 18 to January 2, "
     "with discounts on thousands of games and the return of the Steam Awards nominations. "
     "The company also announced a new seasonal badge and a points shop event for the "
     "holidays. Developers must opt in to the sale through Steamworks by late November."),
    ("Grand final MPL ID Season 18 digelar di Makassar",
     "Grand final MPL ID Season 18 akan digelar di Makassar pada bulan depan dengan kapasitas "
     "penonton mencapai 8.000 orang. Penyelenggara menyiapkan tiket dalam tiga kategori dan "
     "penjualan dibuka pekan ini melalui aplikasi resmi. Tim juara akan mewakili Indonesia "
     "di turnamen internasional Mobile Legends di Kuala Lumpur akhir tahun ini."),
    ("GTA 6 release sends PSN servers down for hours",
     "PlayStation Network suffered an outage of several hours on the day Grand Theft Auto VI "
     "launched, as millions of players tried to download the game at once. Sony said the "
     "service was restored in the evening and apologised to players in North America and "
     "Europe. Rockstar reported record pre-loads on both consoles ahead of the release."),
    ("Redmi Note 16 Pro resmi meluncur di Indonesia",
     "Xiaomi resmi meluncurkan Redmi Note 16 Pro di Indonesia dengan kamera utama 200 MP dan "
     "baterai 5.500 mAh. Ponsel ini dijual mulai Rp 3,9 juta dan tersedia di toko daring "
     "maupun gerai resmi Xiaomi mulai Jumat. Varian tertinggi hadir dengan RAM 12 GB dan "
     "penyimpanan 512 GB serta pengisian daya cepat 67 W."),
]
