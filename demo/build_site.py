"""Generate the warta demo site (demo/site/) and its ground truth (demo/site_manifest.json).

All article data lives in this file; every page, feed and sitemap under demo/site/ and the
manifest are written from it, so they always agree. Stdlib only. Run from anywhere:

    python demo/build_site.py

Three outlets share one host and differ by path prefix:
  /gamebrott/  Gamebrott-like Indonesian WordPress site (RSS, Yoast-style sitemaps, categories)
  /technews/   "The Circuit", an English tech site (JSON-LD, Google News sitemap, Atom)
  /portal/     "Kabar Tekno", a kompas-like Indonesian portal (multi-page article, RSS)
Absolute URLs are written with the placeholder {{BASE}}; demo/server.py fills it in.
All text is invented for this demo.
"""
# ruff: noqa: E501 - HTML templates and article prose are kept on long lines

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
MANIFEST = HERE / "site_manifest.json"
B = "{{BASE}}"
TODAY = "2026-11-28"

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
EST = timezone(timedelta(hours=-5))
TZ_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]
BULAN3 = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_DAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
EN_MONTH = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]


def d(y_m_d_h_m: str, tz: timezone) -> datetime:
    """'2026-11-23 14:05' in the given zone."""
    return datetime.strptime(y_m_d_h_m, "%Y-%m-%d %H:%M").replace(tzinfo=tz)


@dataclass
class Article:
    key: str
    outlet: str
    slug: str
    title: str
    authors: list[str]
    published: datetime
    paragraphs: list[str]
    caption: str
    tags: list[str]
    category: str = ""
    event: str | None = None
    modified: datetime | None = None
    lang: str = ""
    datefmt: str = ""          # gamebrott: long | short | numeric | pukul
    machine_date: str = ""     # gamebrott: meta | none; portal: meta | jsonld | none
    summary: str = ""
    credit: str = ""           # technews photo credit
    editor: str = ""           # portal
    video: str = ""            # portal "Simak Video" title
    article_id: str = ""       # gamebrott post id / portal 8-digit id / technews story id
    syndicated_from: str | None = None   # key of the original article
    page_split: list[int] = field(default_factory=list)  # portal multi-page: paragraphs per page
    page_markers: list[str] = field(default_factory=list)  # a phrase found only on page N

    @property
    def path(self) -> str:
        if self.outlet == "gamebrott":
            return f"/gamebrott/{self.slug}/"
        if self.outlet == "technews":
            return f"/technews/{self.published:%Y/%m}/{self.slug}/"
        return f"/portal/read/{self.published:%Y/%m/%d}/{self.article_id}/{self.slug}"

    @property
    def url(self) -> str:
        return B + self.path

    @property
    def image_path(self) -> str:
        if self.outlet == "gamebrott":
            return f"/gamebrott/wp-content/uploads/{self.published:%Y/%m}/{self.slug}.png"
        if self.outlet == "technews":
            return f"/technews/media/{self.published:%Y/%m}/{self.slug}.png"
        return f"/portal/photo/{self.published:%Y/%m/%d}/{self.article_id}.png"


# ----------------------------------------------------------------------------------------------
# Article data
# ----------------------------------------------------------------------------------------------

GB = "gamebrott"
TN = "technews"
PT = "portal"

DRIFT_PARAGRAPHS = [
    "JAKARTA, Indonesia – Lentera Games, an independent studio based in Bandung, today announced "
    "Nusantara Drift, an open-world arcade racing game set across a stylised version of the "
    "Indonesian archipelago. The game is scheduled to launch on PC, PlayStation 5 and Xbox Series "
    "X|S in the third quarter of 2027.",
    "Nusantara Drift lets players race through more than 40 locations inspired by real places, "
    "from the crowded streets of Jakarta and the volcanic roads of Bromo to the coastal highways "
    "of Bali and the highlands of Toraja. Each region features its own weather system, traffic "
    "patterns and local music.",
    "“We wanted to build a racing game that feels unmistakably Indonesian,” said Dewi Kartika, "
    "creative director at Lentera Games. “Every corner, every billboard and every radio station in "
    "Nusantara Drift was created with love for the places we grew up in.”",
    "The game will feature a full single-player campaign, online multiplayer for up to 16 players "
    "and a photo mode. A playable demo will be available during Steam Next Fest in February 2027.",
    "Nusantara Drift is being developed with support from the Indonesian Game Association and a "
    "regional creative economy grant. Pre-orders open on Steam today.",
    "About Lentera Games: Founded in 2019, Lentera Games is a 45-person studio focused on original "
    "games inspired by Southeast Asian culture. The studio previously released the puzzle "
    "adventure Layang and the rhythm game Gamelan Beat.",
]

ARTICLES: list[Article] = [
    # ------------------------------------------------------------------ Gamebrott (Indonesian)
    Article(
        "g1", GB, "elon-musk-borong-10000-gpu-nvidia-proyek-ai",
        "Elon Musk Diam-diam Borong 10.000 GPU NVIDIA untuk Proyek AI Barunya",
        ["Andi Pratama"], d("2026-11-17 14:05", WIB),
        [
            "Elon Musk kembali bikin heboh. Bos Tesla sekaligus pemilik Twitter itu dilaporkan telah "
            "membeli sekitar 10.000 unit GPU dari NVIDIA untuk menggarap proyek kecerdasan buatan "
            "(AI) generatif miliknya sendiri. Kabar ini pertama kali diungkap Ars Technica yang "
            "mengutip sejumlah sumber yang mengetahui rencana tersebut.",
            "GPU yang diborong Elon disebut-sebut merupakan NVIDIA H100, akselerator data center "
            "paling bertenaga saat ini yang harganya bisa menembus puluhan ribu dolar AS per unit. "
            "Sebagian lainnya dikabarkan adalah A100, generasi sebelumnya yang masih banyak dipakai "
            "untuk melatih model bahasa besar seperti GPT-4 yang menjadi otak ChatGPT.",
            "Langkah ini terasa ironis. Belum lama ini, Elon Musk ikut menandatangani surat terbuka "
            "yang meminta jeda pengembangan AI yang lebih canggih dari GPT-4. Kini ia justru "
            "menyiapkan mesin komputasi raksasa untuk proyeknya sendiri.",
            "Proyek tersebut kabarnya bernaung di bawah X.AI Corp, perusahaan yang didaftarkan Elon "
            "di Nevada. Ia juga disebut telah merekrut sejumlah peneliti, termasuk Igor Babuschkin "
            "yang sebelumnya bekerja di DeepMind, laboratorium AI milik Google.",
            "Belum jelas untuk apa persisnya ribuan GPU itu akan dipakai. Namun banyak pihak menduga "
            "Elon ingin membangun model bahasa sendiri yang nantinya diintegrasikan ke Twitter, yang "
            "kini sudah dilebur ke dalam X Corp. Elon memang pernah mengungkapkan ambisinya "
            "menjadikan Twitter sebagai aplikasi segalanya ala WeChat di China.",
            "Hingga berita ini diturunkan, baik NVIDIA maupun pihak Elon Musk belum memberikan "
            "komentar resmi terkait pembelian tersebut.",
        ],
        "Elon Musk beli ribuan GPU dari NVIDIA untuk proyek AI",
        ["NVIDIA", "Elon Musk", "AI", "X.AI"], category="tech", event="xai-gpus",
        datefmt="long", machine_date="meta", article_id="81204",
    ),
    Article(
        "g2", GB, "redmi-note-16-pro-resmi-meluncur-di-indonesia",
        "Redmi Note 16 Pro Resmi Meluncur di Indonesia, Harga Mulai Rp3,6 Jutaan",
        ["Nadia Putri"], d("2026-11-18 19:00", WIB),
        [
            "Xiaomi Indonesia resmi meluncurkan Redmi Note 16 Pro di Jakarta pada Rabu (18/11/2026). "
            "Ponsel kelas menengah ini datang membawa kamera utama 200 MP, layar AMOLED 120 Hz, dan "
            "baterai jumbo yang diklaim tahan hingga dua hari pemakaian.",
            "Untuk dapur pacunya, Redmi Note 16 Pro mengandalkan chipset MediaTek Dimensity 7400 "
            "Ultra yang dipadukan RAM hingga 12 GB. Xiaomi menyebut performa grafisnya naik sekitar "
            "20 persen dibanding generasi sebelumnya, sehingga cukup lega untuk main game seperti "
            "Genshin Impact di pengaturan menengah.",
            "Baterainya berkapasitas 6.200 mAh dengan pengisian cepat 67 W. Menurut Xiaomi, baterai "
            "bisa terisi dari nol hingga penuh dalam waktu sekitar 45 menit.",
            "Redmi Note 16 Pro dijual dalam dua varian, yaitu 8/256 GB seharga Rp3.699.000 dan "
            "12/512 GB seharga Rp4.299.000. Penjualan perdana dimulai Jumat pekan ini melalui toko "
            "resmi Xiaomi dan sejumlah e-commerce.",
            "Dengan harga tersebut, Redmi Note 16 Pro bakal langsung berhadapan dengan Samsung Galaxy "
            "A57 dan Infinix Note 50 Pro yang lebih dulu meramaikan pasar ponsel menengah di Tanah "
            "Air.",
        ],
        "Redmi Note 16 Pro tersedia dalam tiga pilihan warna",
        ["Xiaomi", "Smartphone"], category="tech", event="phone-launch",
        datefmt="short", machine_date="none", article_id="81377",
    ),
    Article(
        "g3", GB, "pemerintah-terbitkan-pp-pelindungan-data-pribadi",
        "Pemerintah Terbitkan PP Pelindungan Data Pribadi, Denda Kebocoran Data Bisa Capai 2 Persen "
        "Pendapatan",
        ["Andi Pratama"], d("2026-11-24 10:15", WIB),
        [
            "Pemerintah akhirnya menerbitkan Peraturan Pemerintah (PP) tentang pelaksanaan "
            "Undang-Undang Pelindungan Data Pribadi (UU PDP). Aturan turunan yang sudah lama ditunggu "
            "ini diumumkan Kementerian Komunikasi dan Digital (Komdigi) di Jakarta, Selasa "
            "(24/11/2026).",
            "Salah satu poin penting dalam PP ini adalah pembentukan Lembaga Pelindungan Data Pribadi "
            "yang bertanggung jawab langsung kepada Presiden. Lembaga ini berwenang mengawasi "
            "kepatuhan perusahaan, menerima aduan masyarakat, hingga menjatuhkan sanksi "
            "administratif.",
            "Perusahaan yang lalai menjaga data pengguna dan mengalami kebocoran bisa dikenai denda "
            "administratif hingga 2 persen dari pendapatan tahunan. Selain itu, penyelenggara sistem "
            "elektronik wajib memberi tahu pengguna paling lambat 3x24 jam setelah kebocoran data "
            "terdeteksi.",
            "Menteri Komunikasi dan Digital menyebut aturan ini juga berlaku bagi platform game "
            "online dan media sosial yang melayani pengguna di Indonesia, meskipun perusahaannya "
            "berkantor di luar negeri.",
            "Lembaga PDP ditargetkan mulai beroperasi penuh pada Januari 2027. Sebelum itu, "
            "pemerintah memberi masa transisi agar perusahaan bisa menyesuaikan sistem dan kebijakan "
            "privasi mereka.",
        ],
        "Ilustrasi keamanan data pribadi pengguna internet",
        ["UU PDP", "Komdigi", "Privasi"], category="tech", event="pdp-regulation",
        datefmt="numeric", machine_date="meta", article_id="81702",
    ),
    Article(
        "g4", GB, "gta-6-rilis-server-psn-tumbang",
        "GTA 6 Akhirnya Rilis, Server PlayStation Network Sempat Tumbang",
        ["Rizky Ramadhan"], d("2026-11-20 09:30", WIB),
        [
            "Penantian panjang para gamer akhirnya berakhir. Grand Theft Auto VI resmi dirilis untuk "
            "PlayStation 5 dan Xbox Series X|S pada Kamis (19/11/2026), lebih dari tiga tahun setelah "
            "trailer perdananya mengguncang internet.",
            "Sayangnya, hari peluncuran tidak berjalan mulus. Beberapa jam setelah GTA 6 bisa "
            "dimainkan, PlayStation Network sempat down sehingga banyak pemain tidak bisa mengunduh "
            "game maupun masuk ke mode online. Sony mengonfirmasi gangguan tersebut dan menyebut "
            "lonjakan trafik sebagai penyebabnya.",
            "Rockstar Games belum merilis angka penjualan resmi. Namun sejumlah analis memperkirakan "
            "GTA 6 terjual lebih dari 20 juta kopi hanya dalam 24 jam pertama, menjadikannya "
            "peluncuran produk hiburan terbesar sepanjang sejarah.",
            "Di Indonesia, edisi standar GTA 6 dibanderol Rp1.129.000 di PlayStation Store. Beberapa "
            "gamer Tanah Air mengeluhkan ukuran unduhan yang mencapai lebih dari 150 GB.",
            "Sementara itu, versi PC dari GTA 6 masih belum diumumkan. Rockstar hanya menyebut "
            "pihaknya akan fokus pada versi konsol terlebih dahulu.",
        ],
        "Jason dan Lucia, dua protagonis GTA 6",
        ["GTA 6", "Rockstar Games", "PlayStation"], category="games", event="gta6-release",
        datefmt="short", machine_date="none", article_id="81455",
    ),
    Article(
        "g5", GB, "as-perketat-ekspor-chip-ai-ke-china-nvidia-amd",
        "AS Perketat Ekspor Chip AI ke China, NVIDIA dan AMD Kena Imbas",
        ["Dimas Prasetyo"], d("2026-11-26 16:40", WIB),
        [
            "Pemerintah Amerika Serikat kembali memperketat aturan ekspor chip kecerdasan buatan (AI) "
            "ke China. Departemen Perdagangan AS mengumumkan aturan baru yang menutup celah penjualan "
            "chip versi khusus China yang selama ini masih bisa dijual oleh NVIDIA dan AMD.",
            "Lewat aturan tersebut, ambang batas performa chip yang boleh diekspor diturunkan secara "
            "signifikan. Artinya, chip seperti NVIDIA H20 dan penerusnya yang dirancang khusus agar "
            "lolos aturan lama kini juga masuk daftar terlarang tanpa lisensi.",
            "Aturan baru ini juga memperluas larangan ke perusahaan cloud. Penyedia layanan komputasi "
            "awan asal AS kini wajib memverifikasi bahwa kapasitas GPU mereka tidak disewakan ke "
            "entitas China untuk melatih model AI berskala besar.",
            "Saham NVIDIA sempat turun sekitar 4 persen di perdagangan setelah pengumuman tersebut. "
            "China sendiri menyumbang porsi yang cukup besar dari pendapatan data center NVIDIA dalam "
            "beberapa tahun terakhir.",
            "Kementerian Perdagangan China mengecam langkah tersebut dan menyebutnya sebagai bentuk "
            "proteksionisme teknologi. Beijing berjanji akan mempercepat pengembangan chip AI buatan "
            "dalam negeri sebagai respons.",
        ],
        "Chip akselerator AI NVIDIA di sebuah pusat data",
        ["NVIDIA", "AMD", "China"], category="tech", event="chip-export",
        datefmt="long", machine_date="meta", article_id="81890",
    ),
    Article(
        "g6", GB, "lentera-games-announces-nusantara-drift",
        "Lentera Games announces Nusantara Drift, an open-world racer set in Indonesia",
        ["Rizky Ramadhan"], d("2026-11-16 11:00", WIB),
        DRIFT_PARAGRAPHS,
        "Nusantara Drift screenshot",
        ["Lentera Games", "Press Release"], category="games", event="nusantara-drift",
        lang="en", datefmt="long", machine_date="meta", article_id="81160",
    ),
    Article(
        "g7", GB, "review-kalibre-k7-mouse-gaming-lokal",
        "Review Kalibre K7: Mouse Gaming Lokal Rp400 Ribuan yang Bikin Kaget",
        ["Dimas Prasetyo"], d("2026-11-25 21:34", WIB),
        [
            "Pasar mouse gaming murah makin ramai, dan kali ini giliran brand lokal Kalibre yang unjuk "
            "gigi lewat Kalibre K7. Dengan harga Rp429 ribu, mouse ini menjanjikan sensor kelas atas "
            "dan bobot super ringan. Kami sudah menggunakannya selama dua minggu untuk bermain "
            "Valorant dan Counter-Strike 2.",
            "Dari sisi desain, Kalibre K7 mengusung bentuk simetris dengan bobot hanya 54 gram. Tidak "
            "ada lubang-lubang honeycomb di cangkangnya, sehingga tampilannya tetap rapi dan lebih "
            "mudah dibersihkan.",
            "Sensor yang dipakai adalah PixArt PAW3395 dengan DPI maksimal 26.000. Dalam pengujian "
            "kami, pelacakan terasa konsisten, tanpa gejala spin-out meski mouse digerakkan dengan "
            "sangat cepat.",
            "Koneksi nirkabel 2,4 GHz dengan polling rate 4.000 Hz juga tersedia, meskipun untuk "
            "mengaktifkannya pengguna harus membeli dongle terpisah. Daya tahan baterai di polling "
            "rate 1.000 Hz mencapai sekitar 70 jam.",
            "Kekurangannya ada pada software pendukung yang masih terasa kaku dan hanya tersedia "
            "untuk Windows. Namun untuk harga di bawah setengah juta, Kalibre K7 adalah salah satu "
            "mouse gaming paling menarik tahun ini.",
        ],
        "Kalibre K7 dalam varian warna putih",
        ["Review", "Mouse Gaming"], category="tech",
        datefmt="numeric", machine_date="none", article_id="81833",
    ),
    Article(
        "g8", GB, "jadwal-steam-winter-sale-2026",
        "Steam Winter Sale 2026 Dimulai 17 Desember, Ini Jadwal Lengkapnya",
        ["Nadia Putri"], d("2026-11-23 14:05", WIB),
        [
            "Valve telah mengumumkan jadwal Steam Winter Sale 2026. Obral akhir tahun terbesar di "
            "platform Steam ini akan dimulai pada 17 Desember 2026 pukul 01.00 WIB dan berlangsung "
            "hingga 3 Januari 2027.",
            "Seperti tahun-tahun sebelumnya, ribuan game akan mendapatkan potongan harga, mulai dari "
            "judul indie hingga game AAA. Valve juga kembali menghadirkan Steam Awards, di mana "
            "pengguna bisa menominasikan game favorit mereka di berbagai kategori.",
            "Sebelum Winter Sale, Steam akan lebih dulu menggelar Autumn Sale yang berlangsung mulai "
            "25 November hingga 2 Desember 2026. Periode ini biasanya dimanfaatkan gamer untuk "
            "berburu game yang baru rilis tahun ini.",
            "Bagi gamer Indonesia, harga game di Steam tetap menggunakan mata uang dolar AS sejak "
            "Valve menghapus dukungan rupiah beberapa tahun lalu. Karena itu, nilai tukar rupiah "
            "tetap perlu diperhatikan saat berbelanja.",
        ],
        "Ilustrasi Steam Winter Sale",
        ["Steam", "Valve", "Diskon Game"], category="games",
        datefmt="long", machine_date="none", article_id="81611",
    ),
    Article(
        "g9", GB, "grand-final-mpl-id-season-18-makassar",
        "Grand Final MPL ID Season 18 Digelar di Makassar, Tiket Ludes dalam 10 Menit",
        ["Rizky Ramadhan"], d("2026-11-22 10:00", WITA),
        [
            "MPL Indonesia Season 18 akan menutup musimnya di Makassar. Grand Final yang mempertemukan "
            "dua tim terbaik musim ini akan digelar di Celebes Convention Center pada 6 Desember 2026 "
            "mendatang.",
            "Antusiasme penggemar Mobile Legends: Bang Bang di Indonesia Timur ternyata luar biasa. "
            "Tiket Grand Final yang dijual secara daring pada Minggu pagi ludes hanya dalam waktu "
            "sekitar 10 menit.",
            "Ini menjadi pertama kalinya Grand Final MPL ID digelar di Sulawesi. Penyelenggara "
            "menyebut pemilihan Makassar sebagai bentuk komitmen untuk memeratakan ekosistem esports "
            "di luar Pulau Jawa.",
            "Bagi yang tidak kebagian tiket, pertandingan akan disiarkan langsung melalui kanal "
            "YouTube dan TikTok resmi MPL Indonesia, serta sejumlah stasiun televisi nasional.",
        ],
        "Suasana Grand Final MPL ID musim lalu",
        ["MPL ID", "Esports", "Mobile Legends"], category="games",
        datefmt="long", machine_date="none", article_id="81569",
    ),
    Article(
        "g10", GB, "jaringan-5g-jayapura-400-mbps",
        "Sinyal 5G Mulai Menyala di Jayapura, Kecepatan Tembus 400 Mbps",
        ["Andi Pratama"], d("2026-11-11 08:15", WIT),
        [
            "Layanan internet 5G akhirnya hadir di Jayapura, Papua. Salah satu operator seluler "
            "nasional mulai mengaktifkan jaringan 5G di sejumlah titik kota pada Rabu pagi, "
            "menjadikan Jayapura kota pertama di Papua yang menikmati teknologi tersebut.",
            "Dalam uji coba di kawasan Entrop dan Abepura, kecepatan unduh tercatat menembus 400 Mbps. "
            "Angka ini jauh di atas rata-rata kecepatan 4G di wilayah yang sama yang berkisar 20 "
            "hingga 30 Mbps.",
            "Hadirnya 5G di Jayapura tidak lepas dari beroperasinya kabel serat optik bawah laut baru "
            "yang menghubungkan Papua dengan jaringan tulang punggung nasional. Sebelumnya, kapasitas "
            "backhaul menjadi kendala utama pengembangan jaringan di wilayah timur Indonesia.",
            "Pengguna yang ingin mencicipi 5G harus memakai ponsel yang sudah mendukung pita "
            "frekuensi 2,3 GHz dan mengaktifkan kartu SIM yang kompatibel. Operator menyebut tidak "
            "ada biaya tambahan untuk mengakses jaringan 5G.",
        ],
        "Menara BTS 5G di kawasan Abepura, Jayapura",
        ["5G", "Papua", "Operator Seluler"], category="tech",
        datefmt="long", machine_date="none", article_id="81048",
    ),
    Article(
        "g11", GB, "windows-12-preview-copilot-offline",
        "Windows 12 Preview Bawa Copilot Offline, Begini Cara Mencobanya",
        ["Dimas Prasetyo"], d("2026-11-17 13:20", WIB),
        [
            "Microsoft mulai membagikan versi preview Windows 12 kepada anggota program Windows "
            "Insider. Fitur yang paling menonjol adalah Copilot yang kini bisa berjalan sepenuhnya "
            "secara offline di perangkat yang memiliki NPU.",
            "Dengan Copilot offline, pengguna bisa meringkas dokumen, mencari file berdasarkan "
            "deskripsi, hingga mengubah pengaturan sistem tanpa koneksi internet. Microsoft menyebut "
            "pemrosesan lokal ini juga membuat data pengguna tidak perlu dikirim ke cloud.",
            "Namun, fitur tersebut hanya tersedia untuk laptop Copilot+ PC dengan NPU berkemampuan "
            "minimal 40 TOPS. Perangkat lama tetap bisa menjalankan Windows 12 preview, tetapi "
            "Copilot masih bergantung pada koneksi internet.",
            "Untuk mencobanya, pengguna cukup mendaftar di program Windows Insider melalui menu "
            "Settings, memilih kanal Canary, lalu melakukan pembaruan sistem. Microsoft mengingatkan "
            "bahwa build preview masih bisa mengandung bug dan tidak disarankan dipasang di perangkat "
            "utama.",
        ],
        "Tampilan Copilot di Windows 12 preview",
        ["Windows 12", "Microsoft", "AI"], category="tech", event="windows12-preview",
        modified=d("2026-11-17 18:02", WIB),
        datefmt="long", machine_date="meta", article_id="81222",
    ),
    Article(
        "g12", GB, "nintendo-switch-2-tembus-20-juta-unit",
        "Nintendo Switch 2 Tembus 20 Juta Unit, Lampaui Target Nintendo",
        ["Nadia Putri"], d("2026-11-14 09:00", WIB),
        [
            "Nintendo Switch 2 terus melaju kencang. Dalam laporan terbarunya, Nintendo mengungkapkan "
            "bahwa konsol hybrid generasi terbarunya itu telah terjual lebih dari 20 juta unit di "
            "seluruh dunia.",
            "Angka tersebut melampaui target internal Nintendo yang sebelumnya memproyeksikan "
            "penjualan 15 juta unit hingga akhir tahun fiskal. Switch 2 juga tercatat sebagai konsol "
            "Nintendo dengan penjualan tercepat sepanjang sejarah.",
            "Mario Kart World masih menjadi game paling laris di platform ini, disusul Donkey Kong "
            "Bananza dan Pokémon Legends: Z-A. Nintendo menyebut lebih dari separuh pemilik Switch 2 "
            "juga membeli Mario Kart World.",
            "Meski penjualan tinggi, Nintendo mengakui bahwa kenaikan biaya komponen menjadi "
            "tantangan tersendiri. Perusahaan tidak menutup kemungkinan menyesuaikan harga konsol di "
            "beberapa wilayah pada tahun depan.",
        ],
        "Nintendo Switch 2",
        ["Nintendo", "Switch 2"], category="games",
        datefmt="short", machine_date="meta", article_id="81097",
    ),
    Article(
        "g13", GB, "starlink-turunkan-harga-paket-indonesia",
        "Starlink Turunkan Harga Paket Residensial di Indonesia Jadi Rp499 Ribu",
        ["Andi Pratama"], d("2026-11-12 19:45", WIB),
        [
            "Starlink memangkas harga layanan internet satelitnya di Indonesia. Paket Residensial "
            "yang sebelumnya dibanderol Rp750 ribu per bulan kini bisa dinikmati dengan harga Rp499 "
            "ribu per bulan.",
            "Penurunan harga ini berlaku untuk pelanggan baru maupun pelanggan lama mulai tagihan "
            "Desember 2026. Harga perangkat keras Starlink standar juga dipangkas menjadi Rp3,9 juta.",
            "Langkah ini dinilai sebagai upaya Starlink memperluas pasar di daerah terpencil yang "
            "belum terjangkau jaringan fiber optik. Namun, sejumlah operator lokal menilai harga baru "
            "tersebut berpotensi mengganggu persaingan usaha.",
            "Bagi gamer, internet satelit Starlink memang belum ideal untuk game kompetitif karena "
            "latensinya masih berkisar 40 hingga 60 milidetik. Meski begitu, untuk mengunduh game dan "
            "streaming, kecepatannya sudah cukup memadai.",
        ],
        "Perangkat antena Starlink",
        ["Starlink", "Internet Satelit"], category="tech",
        datefmt="pukul", machine_date="none", article_id="81011",
    ),
    Article(
        "g14", GB, "silksong-dlc-sea-of-sorrow-gratis",
        "Hollow Knight: Silksong Kedatangan DLC Gratis Sea of Sorrow Bulan Depan",
        ["Rizky Ramadhan"], d("2026-11-27 20:10", WIB),
        [
            "Team Cherry akhirnya mengumumkan tanggal rilis DLC pertama Hollow Knight: Silksong. "
            "Ekspansi bertajuk Sea of Sorrow akan hadir secara gratis pada 15 Desember 2026 untuk "
            "semua platform.",
            "Sea of Sorrow membawa Hornet menjelajahi wilayah lautan yang sebelumnya hanya terlihat "
            "sekilas di game utama. Team Cherry menjanjikan area baru, boss baru, serta sejumlah alat "
            "tambahan yang akan mengubah cara bermain.",
            "Kabar ini disambut antusias oleh penggemar, mengingat Silksong sendiri sempat menjadi "
            "salah satu game paling lama ditunggu sebelum akhirnya dirilis tahun lalu.",
            "Team Cherry juga menyebut pembaruan ini akan membawa sejumlah perbaikan bug dan "
            "penyesuaian tingkat kesulitan pada beberapa boss yang dinilai terlalu sulit oleh "
            "sebagian pemain.",
        ],
        "Hornet di area baru Sea of Sorrow",
        ["Silksong", "Team Cherry", "DLC"], category="games",
        datefmt="long", machine_date="meta", article_id="81960",
    ),
    Article(
        "g15", GB, "driver-nvidia-geforce-dlss-4-5",
        "NVIDIA Rilis Driver GeForce Baru, Dukung DLSS 4.5 di 12 Game",
        ["Dimas Prasetyo"], d("2026-11-19 15:30", WIB),
        [
            "NVIDIA merilis driver GeForce Game Ready versi 596.12 yang membawa dukungan DLSS 4.5 "
            "untuk 12 game baru. Driver ini sudah bisa diunduh melalui aplikasi NVIDIA maupun situs "
            "resmi NVIDIA.",
            "DLSS 4.5 memperkenalkan model transformer generasi kedua yang diklaim menghasilkan "
            "gambar lebih tajam dan mengurangi efek ghosting pada objek yang bergerak cepat. Fitur "
            "Multi Frame Generation juga kini mendukung kartu grafis seri RTX 40.",
            "Selain itu, driver ini memperbaiki sejumlah masalah, termasuk layar berkedip pada "
            "monitor dengan refresh rate tinggi dan crash saat memainkan beberapa game berbasis "
            "Unreal Engine 5.",
            "NVIDIA menyarankan pengguna melakukan instalasi bersih (clean install) jika sebelumnya "
            "mengalami masalah performa setelah memperbarui driver.",
        ],
        "Kartu grafis NVIDIA GeForce RTX seri 50",
        ["NVIDIA", "Driver", "DLSS"], category="tech",
        datefmt="short", machine_date="none", article_id="81420",
    ),
    Article(
        "g16", GB, "bocoran-samsung-galaxy-s27-ultra-baterai",
        "Bocoran Samsung Galaxy S27 Ultra: Baterai Silikon-Karbon 5.500 mAh dan Kamera Zoom Baru",
        ["Nadia Putri"], d("2026-11-28 08:45", WIB),
        [
            "Bocoran spesifikasi Samsung Galaxy S27 Ultra mulai bermunculan, padahal peluncurannya "
            "diperkirakan baru berlangsung awal 2027. Informasi terbaru menyebut Samsung akhirnya "
            "akan menggunakan baterai silikon-karbon pada ponsel flagship-nya.",
            "Dengan teknologi tersebut, kapasitas baterai Galaxy S27 Ultra dikabarkan naik menjadi "
            "5.500 mAh tanpa membuat bodinya lebih tebal. Selama beberapa generasi terakhir, seri "
            "Ultra tertahan di kapasitas 5.000 mAh.",
            "Sektor kamera juga disebut mendapat peningkatan lewat lensa periskop baru dengan zoom "
            "optik 5x beresolusi 200 MP. Samsung juga dikabarkan menyiapkan sensor utama dengan "
            "ukuran yang lebih besar.",
            "Samsung belum memberikan konfirmasi apa pun terkait bocoran ini. Seperti biasa, "
            "spesifikasi final masih bisa berubah hingga ponsel resmi diperkenalkan.",
        ],
        "Render Samsung Galaxy S27 Ultra yang beredar di internet",
        ["Samsung", "Smartphone", "Bocoran"], category="tech",
        datefmt="long", machine_date="meta", article_id="81985",
    ),
    # ------------------------------------------------------------------ The Circuit (English)
    Article(
        "t1", TN, "musk-xai-buys-10000-nvidia-gpus",
        "Elon Musk’s xAI quietly bought about 10,000 Nvidia GPUs for its new AI venture",
        ["Jane Doe", "Sam Lee"], d("2026-11-16 18:40", EST),
        [
            "Elon Musk has purchased roughly 10,000 graphics processing units from Nvidia for a "
            "generative AI project inside his companies, according to people familiar with the "
            "matter, a sign that he is moving ahead with plans to build a rival to OpenAI’s ChatGPT.",
            "The chips are said to be mostly Nvidia’s H100, the company’s flagship data center "
            "accelerator, with a smaller batch of the older A100. Each H100 can cost well over "
            "$30,000, putting the order in the hundreds of millions of dollars.",
            "The project is being run through X.AI Corp, a company Musk incorporated in Nevada "
            "earlier this year, and is expected to make use of data from Twitter, which now operates "
            "as part of X Corp. Musk has repeatedly said he wants to turn Twitter into an “everything "
            "app” modeled on China’s WeChat.",
            "Musk has been recruiting researchers for the effort, including Igor Babuschkin, a former "
            "engineer at Alphabet’s DeepMind. Several Tesla engineers are also said to have been "
            "approached.",
            "The purchase was first reported by Ars Technica. Nvidia declined to comment. Musk did not "
            "respond to a request for comment.",
            "The move is striking because Musk was among the signatories of an open letter that "
            "called for a six-month pause on training systems more powerful than OpenAI’s GPT-4. "
            "Critics said at the time that some signatories were simply trying to catch up.",
        ],
        "Elon Musk at a Tesla event in Austin, Texas.",
        ["AI", "Nvidia", "Elon Musk", "xAI"], category="AI", event="xai-gpus",
        modified=d("2026-11-17 09:15", EST), credit="Photo: Reuters", article_id="40512",
        summary="The purchase suggests Musk is building a large language model of his own, despite "
                "calling for a pause on advanced AI.",
    ),
    Article(
        "t2", TN, "xiaomi-redmi-note-16-pro-southeast-asia-launch",
        "Xiaomi’s Redmi Note 16 Pro launches in Southeast Asia with a 200-megapixel camera",
        ["Priya Raman"], d("2026-11-18 07:00", UTC),
        [
            "Xiaomi on Wednesday launched the Redmi Note 16 Pro in Indonesia, the first market in "
            "Southeast Asia to get the mid-range phone, with Malaysia, Thailand and the Philippines to "
            "follow before the end of the year.",
            "The headline feature is a 200-megapixel main camera, paired with a 6.7-inch 120Hz AMOLED "
            "display and a 6,200mAh battery that supports 67W wired charging. Inside is MediaTek’s "
            "Dimensity 7400 Ultra chip with up to 12GB of RAM.",
            "In Indonesia the phone starts at 3.699 million rupiah, or roughly $235, for the "
            "8GB/256GB model. A 12GB/512GB version costs 4.299 million rupiah.",
            "Southeast Asia has become a key battleground for Chinese smartphone makers as growth "
            "slows at home. Xiaomi, Transsion’s Infinix and Samsung are locked in a tight race for the "
            "top spot in Indonesia, the region’s largest phone market.",
        ],
        "The Redmi Note 16 Pro comes in three colors.",
        ["Smartphones", "Xiaomi", "Indonesia"], category="Gadgets", event="phone-launch",
        credit="Photo: Xiaomi", article_id="40588",
        summary="The mid-range phone starts at the equivalent of about $235 in Indonesia.",
    ),
    Article(
        "t3", TN, "indonesia-data-protection-regulator",
        "Indonesia finalizes data protection rules and creates a new privacy regulator",
        ["Marcus Holt"], d("2026-11-24 03:30", UTC),
        [
            "Indonesia on Tuesday issued long-awaited implementing regulations for its 2022 Personal "
            "Data Protection Law, creating a dedicated privacy agency and setting out how companies "
            "must respond to data breaches.",
            "The new agency will report directly to the president and have the power to investigate "
            "complaints, audit companies and impose administrative fines of up to 2% of annual "
            "revenue, according to the Ministry of Communication and Digital Affairs.",
            "Companies will be required to notify affected users within 72 hours of discovering a "
            "breach. The rules apply to foreign platforms that serve Indonesian users, including "
            "social networks, e-commerce sites and online games.",
            "Indonesia has suffered a string of high-profile leaks in recent years, including "
            "breaches at state-owned companies and a 2024 ransomware attack on a national data center "
            "that disrupted immigration services.",
            "The regulator is expected to be fully operational in January 2027, giving businesses a "
            "transition period to bring their systems into compliance.",
        ],
        "The business district of Jakarta, Indonesia’s capital.",
        ["Policy", "Privacy", "Indonesia"], category="Policy", event="pdp-regulation",
        credit="Photo: Reuters", article_id="40731",
        summary="Companies that leak personal data could face fines of up to 2% of annual revenue.",
    ),
    Article(
        "t4", TN, "gta-vi-launch-psn-outage",
        "GTA VI breaks launch records as PlayStation Network buckles under demand",
        ["Elena Vasquez", "Sam Lee"], d("2026-11-19 23:55", EST),
        [
            "Grand Theft Auto VI finally arrived on Thursday, and the launch was big enough to knock "
            "Sony’s PlayStation Network offline for several hours as millions of players tried to "
            "download the game at once.",
            "Sony acknowledged the outage on social media, saying it was experiencing heavy traffic "
            "and working to restore service. Players on Xbox reported slower downloads but fewer "
            "outright failures.",
            "Take-Two Interactive, Rockstar’s parent company, has not released sales figures. But "
            "analysts at two research firms estimated that the game sold more than 20 million copies "
            "in its first 24 hours, which would make it the biggest entertainment launch in history.",
            "The game, set in a fictional version of Miami, follows two protagonists, Jason and "
            "Lucia, and was delayed twice before landing on PlayStation 5 and Xbox Series X and S. "
            "Rockstar has not announced a PC version.",
            "The launch is a crucial test for Take-Two, which has spent more than a decade and, by "
            "some estimates, over $1 billion developing the game.",
        ],
        "Jason and Lucia, the two protagonists of GTA VI.",
        ["Gaming", "Rockstar", "PlayStation"], category="Gaming", event="gta6-release",
        modified=d("2026-11-20 08:30", EST), credit="Photo: Rockstar Games", article_id="40640",
        summary="Analysts estimate Rockstar’s long-awaited sequel sold more than 20 million copies in "
                "its first day.",
    ),
    Article(
        "t5", TN, "us-ai-chip-export-rules-nvidia-amd",
        "US tightens AI chip export rules, closing loopholes used by Nvidia and AMD",
        ["Jane Doe"], d("2026-11-25 16:00", EST),
        [
            "The US Commerce Department on Wednesday unveiled new restrictions on exports of advanced "
            "artificial intelligence chips to China, closing loopholes that allowed Nvidia and AMD to "
            "keep selling specially designed, lower-performance parts to Chinese customers.",
            "The rule lowers the performance thresholds that trigger licensing requirements, "
            "sweeping in chips such as Nvidia’s H20 that were built specifically to comply with "
            "earlier controls. Officials said the change was meant to stop China from using the chips "
            "to train frontier AI models.",
            "For the first time, the rule also requires US cloud providers to verify that their "
            "computing capacity is not being rented by Chinese entities to train large models, a "
            "practice that critics said had undermined earlier restrictions.",
            "Nvidia shares fell about 4% in after-hours trading. The company said in a statement that "
            "it would comply with the rule and was assessing its impact on its data center business.",
            "China’s Commerce Ministry called the move technological protectionism and said Beijing "
            "would accelerate support for domestic chipmakers such as Huawei.",
        ],
        "Nvidia’s headquarters in Santa Clara, California.",
        ["AI", "Chips", "Policy", "Nvidia"], category="Policy", event="chip-export",
        modified=d("2026-11-25 19:45", EST), credit="Photo: AP", article_id="40790",
        summary="The new rule lowers performance thresholds and puts cloud providers on the hook for "
                "Chinese customers.",
    ),
    Article(
        "t6", TN, "lentera-games-announces-nusantara-drift",
        "Lentera Games Announces Nusantara Drift, an Open-World Racer Set in Indonesia",
        ["Circuit Staff"], d("2026-11-16 10:20", UTC),
        DRIFT_PARAGRAPHS[:5],
        "A screenshot from Nusantara Drift.",
        ["Gaming", "Press Release"], category="Gaming", event="nusantara-drift",
        credit="Photo: Lentera Games", article_id="40519", syndicated_from="g6",
        summary="An Indonesian studio’s open-world racer heads to PC and consoles in 2027.",
    ),
    Article(
        "t7", TN, "windows-12-preview-offline-copilot",
        "Microsoft’s Windows 12 preview runs Copilot entirely offline on new PCs",
        ["Marcus Holt", "Priya Raman"], d("2026-11-16 13:00", EST),
        [
            "Microsoft on Monday began rolling out the first preview of Windows 12 to members of its "
            "Windows Insider program, and the headline feature is a version of Copilot that can run "
            "without an internet connection.",
            "On PCs with a sufficiently powerful neural processing unit, the assistant can summarize "
            "documents, find files based on natural-language descriptions and change system settings "
            "entirely on-device, Microsoft said.",
            "The company pitched local processing as a privacy win, since prompts and documents never "
            "leave the machine. Older PCs can install the preview, but Copilot on those machines will "
            "continue to rely on Microsoft’s cloud.",
            "Microsoft did not say when Windows 12 would be generally available. Insiders can install "
            "the build by joining the Canary channel, which the company warns is the least stable of "
            "its test rings.",
        ],
        "Copilot running in the Windows 12 preview.",
        ["AI", "Microsoft", "Windows"], category="AI", event="windows12-preview",
        credit="Photo: Microsoft", article_id="40507",
        summary="The feature requires a neural processing unit capable of at least 40 TOPS.",
    ),
    Article(
        "t8", TN, "e-ink-phone-comeback",
        "The quiet comeback of the e-ink phone",
        ["Jane Doe"], d("2026-11-21 08:00", EST),
        [
            "For most of the past decade, phone makers have competed on brighter screens and faster "
            "refresh rates. A handful of small companies are now betting that some people want the "
            "opposite.",
            "Devices with e-ink displays, the same technology used in e-readers, have moved from "
            "crowdfunding curiosities to products sold in mainstream electronics stores in Europe and "
            "Asia. Their makers say sales have roughly doubled over the past year.",
            "The appeal is partly practical. E-ink screens are easy to read in direct sunlight and sip "
            "power, allowing some models to last a week on a charge. But buyers also describe the "
            "grayscale screens as a way to make their phones less compelling.",
            "“I wanted something that does maps, messages and music, and nothing else,” said one "
            "owner, a 29-year-old software developer in Berlin, who asked that only his first name, "
            "Lukas, be used.",
            "The trade-offs are real: web pages load sluggishly, video is all but unwatchable and "
            "cameras are often an afterthought. Analysts say the category is likely to remain a "
            "niche, but one that larger manufacturers are watching closely.",
        ],
        "E-ink phones on display at an electronics store in Berlin.",
        ["Smartphones", "Features"], category="Gadgets",
        credit="Photo: The Circuit", article_id="40702",
        summary="A small but growing group of buyers wants a phone that is deliberately less "
                "engaging.",
    ),
    Article(
        "t9", TN, "ransomware-european-container-terminal",
        "Ransomware attack halts a major European container terminal operator for three days",
        ["Elena Vasquez"], d("2026-11-10 11:25", UTC),
        [
            "A ransomware attack on Nordhaven Logistics, which operates container terminals in three "
            "Northern European ports, forced the company to halt loading and unloading for three "
            "days, leaving dozens of ships waiting offshore.",
            "The company said on Tuesday that its systems had been encrypted over the weekend and "
            "that it had taken its terminal operating software offline as a precaution. Operations "
            "resumed partially on Monday evening.",
            "A group calling itself Black Tern claimed responsibility on its leak site and said it "
            "had stolen more than 300 gigabytes of data. Nordhaven said it was investigating the "
            "claim and had notified data protection authorities.",
            "Security researchers have warned for years that ports are an attractive target because "
            "even short outages can ripple through global supply chains. Similar attacks have "
            "disrupted ports in Australia and Japan in recent years.",
        ],
        "Containers stacked at a terminal operated by Nordhaven Logistics.",
        ["Security", "Ransomware"], category="Security",
        credit="Photo: Reuters", article_id="40402",
        summary="Dozens of ships waited offshore while the company restored its systems.",
    ),
    Article(
        "t10", TN, "polaris-link-satellite-broadband-canada",
        "Polaris Link opens satellite broadband beta in rural Canada",
        ["Sam Lee"], d("2026-11-14 09:10", EST),
        [
            "Polaris Link, a satellite internet startup backed by a group of Canadian pension funds, "
            "opened a public beta of its service in rural Ontario and Quebec on Saturday, becoming the "
            "latest company to challenge SpaceX’s Starlink.",
            "The company operates 240 satellites in low Earth orbit and says beta users should expect "
            "download speeds of 80 to 150 megabits per second. The service costs 89 Canadian dollars "
            "a month, with a one-time equipment fee of 299 dollars.",
            "Polaris Link’s chief executive, Martine Caron, said the company would launch another 300 "
            "satellites over the next 18 months, enough to provide continuous coverage across "
            "Canada’s populated regions.",
            "Competition in satellite broadband is heating up as Amazon ramps up launches for its own "
            "constellation. Analysts say smaller players will need government contracts to survive.",
        ],
        "A Polaris Link user terminal on a farmhouse roof in Ontario.",
        ["Space", "Broadband"], category="Science",
        credit="Photo: AP", article_id="40466",
        summary="The startup is the latest to take on Starlink, starting with Ontario and Quebec.",
    ),
    Article(
        "t11", TN, "eu-fines-chatterly-age-checks",
        "EU fines Chatterly €310 million over failures to keep children off its app",
        ["Priya Raman"], d("2026-11-27 06:45", UTC),
        [
            "The European Commission on Friday fined Chatterly, a fast-growing voice chat app, €310 "
            "million for failing to prevent children under 13 from using its service, the largest "
            "penalty yet under the Digital Services Act’s child safety provisions.",
            "Investigators found that Chatterly relied on a self-declared birthday at sign-up and did "
            "little to verify users’ ages, even after researchers showed that young children were "
            "routinely joining adult chat rooms.",
            "Chatterly said it disagreed with the decision and would appeal. The company said it had "
            "introduced facial age estimation in September and removed more than two million "
            "suspected underage accounts.",
            "The fine comes as several EU countries push for a minimum age for social media. The "
            "Commission said it would publish guidelines on age verification early next year.",
        ],
        "The European Commission’s Berlaymont building in Brussels.",
        ["Policy", "Europe"], category="Policy",
        credit="Photo: Reuters", article_id="40855",
        summary="It is the largest child safety penalty yet under the Digital Services Act.",
    ),
    Article(
        "t12", TN, "brightwell-fusion-delay-2028",
        "Fusion startup Brightwell misses its 2026 power target, pushes goal to 2028",
        ["Marcus Holt"], d("2026-11-20 14:30", EST),
        [
            "Brightwell Fusion, one of the best-funded companies trying to commercialize nuclear "
            "fusion, said on Friday that it would not deliver electricity to the grid this year as "
            "promised and now expects to do so in 2028.",
            "The company blamed delays in manufacturing the superconducting magnets for its Meridian "
            "prototype reactor. Two of the 18 magnets failed acceptance testing in the summer and had "
            "to be rebuilt.",
            "Brightwell has raised more than $2 billion from investors and signed a power purchase "
            "agreement with a utility in Washington state. The utility said the delay did not affect "
            "its plans.",
            "Fusion companies have a long history of missing deadlines, and several experts said a "
            "two-year slip was modest by the industry’s standards.",
        ],
        "The Meridian prototype reactor under construction.",
        ["Energy", "Science"], category="Science",
        credit="Photo: Brightwell Fusion", article_id="40655",
        summary="Magnet manufacturing problems delayed the company’s Meridian prototype.",
    ),
    Article(
        "t13", TN, "open-source-maintainers-ai-pull-requests",
        "Open-source maintainers say they are drowning in AI-generated pull requests",
        ["Sam Lee", "Jane Doe"], d("2026-11-22 12:00", EST),
        [
            "Maintainers of several widely used open-source projects say they are being overwhelmed "
            "by pull requests and bug reports generated by AI coding tools, many of which look "
            "plausible at first glance but are wrong.",
            "At least a dozen well-known projects have published policies in recent months requiring "
            "contributors to disclose when they used AI to write code, and some have started closing "
            "undisclosed machine-written patches without review.",
            "“Reviewing a bad patch takes longer than writing a good one,” said Amara Okafor, who "
            "maintains a data validation library with more than 40 million monthly downloads. “The "
            "cost has shifted entirely onto us.”",
            "Some platforms are responding. Code hosting services said they were testing tools that "
            "let maintainers limit pull requests from new accounts and flag contributions that appear "
            "to be machine-generated.",
        ],
        "A maintainer reviews pull requests at a hackathon in Lisbon.",
        ["AI", "Open Source"], category="AI",
        credit="Photo: The Circuit", article_id="40688",
        summary="Projects are adopting disclosure rules as low-quality patches pile up.",
    ),
    Article(
        "t14", TN, "voltaic-rowe-solid-state-battery-funding",
        "Solid-state battery startup Voltaic Rowe raises $400 million",
        ["Elena Vasquez"], d("2026-11-26 10:15", EST),
        [
            "Voltaic Rowe, a startup developing solid-state batteries for electric vehicles, has "
            "raised $400 million in a funding round led by a sovereign wealth fund, the company said "
            "on Thursday.",
            "The company says its cells can store about 40% more energy than conventional "
            "lithium-ion batteries of the same weight and charge from 10% to 80% in under 15 minutes. "
            "It plans to begin pilot production in Michigan in 2027.",
            "Solid-state batteries have long been described as the next big leap for electric cars, "
            "but manufacturing them at scale has proven difficult. Several startups in the field have "
            "delayed their timelines or run out of money.",
            "Voltaic Rowe said it has agreements to supply sample cells to two automakers, which it "
            "declined to name.",
        ],
        "Prototype solid-state cells at Voltaic Rowe’s lab.",
        ["Energy", "EVs"], category="Science",
        credit="Photo: Voltaic Rowe", article_id="40801",
        summary="The company plans pilot production in Michigan next year.",
    ),
    Article(
        "t15", TN, "arizona-data-center-water-caps",
        "Arizona moves to cap water use at new AI data centers",
        ["Priya Raman"], d("2026-11-28 07:30", EST),
        [
            "Arizona regulators on Friday proposed rules that would cap how much groundwater new data "
            "centers can use for cooling, a response to a wave of AI computing projects planned in "
            "the Phoenix area.",
            "Under the proposal, facilities larger than 50 megawatts would need to use recycled water "
            "or closed-loop cooling systems, and would have to report their water consumption "
            "publicly every quarter.",
            "Tech companies have announced more than $60 billion in data center investments in "
            "Arizona over the past two years, drawn by cheap land and a favorable tax regime. Local "
            "groups have warned that the facilities could strain an already stressed water supply.",
            "An industry group representing data center operators said it supported the goal of "
            "conserving water but warned that the rules could push projects to neighboring states.",
        ],
        "A data center under construction west of Phoenix.",
        ["AI", "Climate", "Policy"], category="Policy",
        credit="Photo: AP", article_id="40870",
        summary="Large facilities would have to use recycled water or closed-loop cooling.",
    ),
    # ------------------------------------------------------------------ Kabar Tekno (portal)
    Article(
        "p1", PT, "aturan-turunan-uu-pdp-terbit-ini-hak-pengguna-yang-wajib-diketahui",
        "Aturan Turunan UU PDP Terbit, Ini Hak Pengguna yang Wajib Diketahui",
        ["Sekar Ayuningtyas"], d("2026-11-26 14:20", WIB),
        [
            "KabarTekno.id - Pemerintah resmi menerbitkan Peraturan Pemerintah (PP) tentang "
            "pelaksanaan Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP) "
            "pada awal pekan ini. Aturan tersebut merinci hak-hak pemilik data sekaligus kewajiban "
            "perusahaan yang mengelola data pribadi masyarakat.",
            "Terbitnya PP ini menandai babak baru perlindungan data di Indonesia. Selama ini, UU PDP "
            "yang disahkan pada 2022 dinilai belum bisa berjalan optimal karena belum memiliki aturan "
            "pelaksana dan lembaga pengawas.",
            "Lantas, apa saja hak yang kini dimiliki pengguna layanan digital di Indonesia? Berikut "
            "penjelasan lengkapnya.",
            "Hak pertama adalah hak untuk mendapatkan informasi. Setiap perusahaan wajib menjelaskan "
            "tujuan pengumpulan data, dasar hukumnya, serta berapa lama data akan disimpan sebelum "
            "pengguna memberikan persetujuan.",
            "Kedua, pengguna berhak meminta salinan data pribadi yang disimpan perusahaan dalam "
            "format yang umum digunakan dan dapat dibaca mesin. Permintaan ini wajib dipenuhi paling "
            "lambat 14 hari kerja.",
            "Ketiga, pengguna dapat meminta penghapusan data, misalnya ketika berhenti menggunakan "
            "sebuah aplikasi. Perusahaan hanya boleh menolak jika data tersebut masih diperlukan "
            "untuk memenuhi kewajiban hukum, seperti keperluan perpajakan.",
            "Selain hak-hak tersebut, PP juga mewajibkan perusahaan memberi tahu pengguna dan Lembaga "
            "Pelindungan Data Pribadi paling lambat 3x24 jam sejak kebocoran data diketahui. "
            "Pemberitahuan harus memuat data apa saja yang bocor dan langkah pemulihan yang "
            "dilakukan.",
            "Lembaga PDP sendiri akan bertanggung jawab langsung kepada Presiden dan berwenang "
            "menjatuhkan denda administratif hingga 2 persen dari pendapatan tahunan perusahaan yang "
            "melanggar.",
            "Pengamat keamanan siber dari Universitas Gadjah Mada, Ridwan Hakim, menilai aturan ini "
            "sudah cukup kuat di atas kertas. “Tantangannya ada pada penegakan. Lembaga PDP harus "
            "independen dan punya sumber daya yang memadai,” ujarnya saat dihubungi Kabar Tekno, Rabu "
            "(25/11/2026).",
        ],
        "Ilustrasi perlindungan data pribadi di ponsel.",
        ["UU PDP", "data pribadi", "Komdigi"], category="Tekno", event="pdp-regulation",
        machine_date="meta", editor="Lusi Handayani", article_id="26142012", page_split=[3, 3, 3],
        page_markers=["menandai babak baru perlindungan data di Indonesia",
                      "Hak pertama adalah hak untuk mendapatkan informasi",
                      "Tantangannya ada pada penegakan"],
        video="Lembaga PDP Mulai Bekerja Januari 2027, Ini Tugasnya",
    ),
    Article(
        "p2", PT, "elon-musk-beli-10000-gpu-nvidia-siapkan-perusahaan-ai",
        "Elon Musk Beli 10.000 GPU Nvidia, Siapkan Perusahaan AI Pesaing OpenAI",
        ["Bima Satria Nugraha"], d("2026-11-17 09:12", WIB),
        [
            "KabarTekno.id - Miliarder Elon Musk dikabarkan membeli sekitar 10.000 unit kartu grafis "
            "(GPU) dari Nvidia. Chip-chip tersebut diyakini akan dipakai untuk membangun model "
            "kecerdasan buatan (AI) generatif yang bakal menantang ChatGPT besutan OpenAI.",
            "Menurut laporan Ars Technica, sebagian besar GPU yang dibeli Musk adalah Nvidia H100 "
            "yang dirancang khusus untuk pusat data. Sisanya merupakan Nvidia A100, chip yang juga "
            "digunakan OpenAI untuk melatih GPT-4.",
            "Proyek AI ini dijalankan melalui perusahaan baru bernama X.AI Corp. Musk juga dilaporkan "
            "telah merekrut Igor Babuschkin, mantan peneliti DeepMind, serta sejumlah insinyur dari "
            "Tesla untuk memperkuat timnya.",
            "Pembelian ribuan GPU itu diduga berkaitan dengan rencana Musk untuk mengembangkan "
            "Twitter, yang kini berada di bawah X Corp, menjadi aplikasi serba bisa seperti WeChat. "
            "Model AI buatan sendiri dinilai penting untuk mewujudkan ambisi tersebut.",
            "Langkah ini mengundang sorotan karena Musk sebelumnya termasuk tokoh yang menyerukan "
            "penghentian sementara pengembangan AI yang lebih canggih dari GPT-4. Hingga kini, Musk "
            "belum berkomentar soal laporan pembelian GPU tersebut.",
        ],
        "Elon Musk dalam sebuah acara di California.",
        ["Elon Musk", "Nvidia", "AI"], category="Tekno", event="xai-gpus",
        machine_date="jsonld", editor="Lusi Handayani", article_id="17091245",
        video="Elon Musk Borong GPU Nvidia untuk Proyek AI",
    ),
    Article(
        "p3", PT, "redmi-note-16-pro-meluncur-di-indonesia-ini-spesifikasi-dan-harganya",
        "Redmi Note 16 Pro Meluncur di Indonesia, Ini Spesifikasi dan Harganya",
        ["Sekar Ayuningtyas"], d("2026-11-18 20:30", WIB),
        [
            "KabarTekno.id - Xiaomi Indonesia resmi memperkenalkan Redmi Note 16 Pro di Tanah Air, "
            "Rabu (18/11/2026). Ponsel ini menjadi penerus Redmi Note 15 Pro yang meluncur tahun lalu.",
            "Redmi Note 16 Pro dibekali layar AMOLED berukuran 6,7 inci dengan refresh rate 120 Hz "
            "dan tingkat kecerahan maksimal 3.200 nit. Layarnya sudah dilindungi Corning Gorilla "
            "Glass Victus 2.",
            "Di sektor kamera, ponsel ini mengusung kamera utama 200 MP yang didampingi kamera "
            "ultrawide 8 MP dan kamera makro 2 MP. Untuk swafoto, tersedia kamera depan 32 MP.",
            "Ponsel ini ditenagai chipset MediaTek Dimensity 7400 Ultra, baterai 6.200 mAh, dan "
            "dukungan pengisian cepat 67 watt. Redmi Note 16 Pro juga sudah tahan air dan debu "
            "dengan sertifikasi IP68.",
            "Redmi Note 16 Pro varian 8/256 GB dijual Rp 3.699.000, sedangkan varian 12/512 GB "
            "dibanderol Rp 4.299.000. Ponsel ini tersedia dalam warna hitam, biru, dan ungu.",
        ],
        "Redmi Note 16 Pro saat peluncuran di Jakarta.",
        ["Xiaomi", "Redmi Note 16 Pro", "smartphone"], category="Gadget", event="phone-launch",
        machine_date="none", editor="Hendra Kusuma", article_id="18203011",
        video="Unboxing Redmi Note 16 Pro, Kamera 200 MP",
    ),
    Article(
        "p4", PT, "as-larang-ekspor-chip-ai-nvidia-h20-ke-china-apa-dampaknya",
        "AS Larang Ekspor Chip AI Nvidia H20 ke China, Apa Dampaknya?",
        ["Bima Satria Nugraha"], d("2026-11-26 07:05", WIB),
        [
            "KabarTekno.id - Amerika Serikat kembali mengeluarkan aturan baru yang membatasi ekspor "
            "chip kecerdasan buatan (AI) ke China. Kali ini, chip Nvidia H20 yang sebelumnya "
            "dirancang khusus untuk pasar China ikut masuk daftar barang yang wajib mendapat lisensi "
            "ekspor.",
            "Aturan yang diumumkan Departemen Perdagangan AS pada Rabu (25/11/2026) waktu setempat "
            "itu menurunkan batas performa chip yang boleh dikirim ke China. Selain Nvidia, AMD juga "
            "terdampak karena menjual chip serupa untuk pelanggan di sana.",
            "Tak hanya produsen chip, penyedia layanan cloud asal AS juga diwajibkan memastikan "
            "kapasitas komputasi mereka tidak disewa perusahaan China untuk melatih model AI "
            "berukuran besar.",
            "Lalu, apakah aturan ini berdampak ke Indonesia? Menurut analis industri semikonduktor, "
            "dampak langsungnya kecil. Namun, pusat data di Asia Tenggara, termasuk di Batam dan "
            "Johor, bisa mendapat pengawasan lebih ketat karena dinilai berpotensi menjadi jalur "
            "pengalihan chip ke China.",
        ],
        "Ilustrasi chip AI Nvidia.",
        ["Nvidia", "chip", "Amerika Serikat", "China"], category="Tekno", event="chip-export",
        modified=d("2026-11-26 09:40", WIB),
        machine_date="meta", editor="Hendra Kusuma", article_id="26070518",
        video="Perang Chip AS-China Makin Panas",
    ),
    Article(
        "p5", PT, "cara-cek-nik-ktp-dipakai-registrasi-berapa-nomor-hp",
        "Cara Cek NIK KTP Dipakai untuk Registrasi Berapa Nomor HP",
        ["Sekar Ayuningtyas"], d("2026-11-21 16:00", WIB),
        [
            "KabarTekno.id - Penyalahgunaan Nomor Induk Kependudukan (NIK) untuk registrasi kartu "
            "SIM masih kerap terjadi. Tak sedikit orang yang baru sadar NIK miliknya dipakai untuk "
            "mendaftarkan puluhan nomor ponsel yang tidak pernah mereka miliki.",
            "Untungnya, pengguna bisa mengecek berapa nomor HP yang terdaftar menggunakan NIK mereka. "
            "Setiap operator seluler menyediakan layanan pengecekan melalui situs resmi maupun kode "
            "USSD.",
            "Caranya cukup mudah. Pengguna tinggal membuka situs pengecekan milik operator, "
            "memasukkan NIK dan nomor Kartu Keluarga, lalu memasukkan kode OTP yang dikirim ke nomor "
            "aktif. Daftar nomor yang terdaftar dengan NIK tersebut akan langsung muncul.",
            "Jika menemukan nomor yang tidak dikenal, pengguna bisa melakukan unreg melalui gerai "
            "resmi operator dengan membawa KTP asli. Pemerintah membatasi satu NIK untuk mendaftarkan "
            "maksimal tiga nomor di setiap operator.",
        ],
        "Ilustrasi kartu SIM ponsel.",
        ["NIK", "registrasi kartu SIM", "tips"], category="Tekno",
        machine_date="jsonld", editor="Lusi Handayani", article_id="21160027",
        video="Awas, NIK Bisa Disalahgunakan untuk Pinjol",
    ),
    Article(
        "p6", PT, "bmkg-rilis-versi-baru-aplikasi-info-bmkg",
        "BMKG Rilis Versi Baru Aplikasi Info BMKG, Peringatan Gempa Lebih Cepat",
        ["Bima Satria Nugraha"], d("2026-11-27 11:30", WIB),
        [
            "KabarTekno.id - Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) merilis versi "
            "terbaru aplikasi Info BMKG untuk Android dan iOS. Pembaruan ini membawa fitur peringatan "
            "dini gempa yang diklaim lebih cepat beberapa detik dibanding versi sebelumnya.",
            "Fitur tersebut memanfaatkan jaringan sensor seismik yang kini berjumlah lebih dari 500 "
            "unit di seluruh Indonesia. Ketika guncangan terdeteksi, aplikasi akan mengirim "
            "notifikasi berbunyi keras ke ponsel pengguna yang berada di wilayah terdampak.",
            "Selain itu, tampilan aplikasi juga diperbarui dengan peta cuaca interaktif dan "
            "prakiraan cuaca per jam hingga tingkat kecamatan.",
            "BMKG mengimbau masyarakat untuk mengaktifkan izin lokasi dan notifikasi agar peringatan "
            "dini bisa diterima tepat waktu.",
        ],
        "Tampilan aplikasi Info BMKG versi terbaru.",
        ["BMKG", "aplikasi", "gempa"], category="Apps",
        machine_date="meta", editor="Hendra Kusuma", article_id="27113009",
        video="Cara Mengaktifkan Peringatan Dini Gempa di Ponsel",
    ),
]

EVENTS = {
    "xai-gpus": "Elon Musk's xAI (X.AI Corp) buys about 10,000 NVIDIA GPUs (H100, some A100)",
    "phone-launch": "Xiaomi launches the Redmi Note 16 Pro in Indonesia",
    "pdp-regulation": "Indonesia issues the PDP (personal data protection) implementing regulation",
    "gta6-release": "GTA 6 launches; PlayStation Network goes down",
    "chip-export": "US tightens AI chip export rules to China (NVIDIA H20, AMD)",
    "windows12-preview": "Windows 12 preview with offline Copilot",
    "nusantara-drift": "Lentera Games press release: Nusantara Drift (same text, syndicated)",
}

GB_AUTHORS = {
    "Andi Pratama": "Editor teknologi di Gamebrott. Menulis soal AI, hardware, dan industri chip "
                    "sejak 2015.",
    "Rizky Ramadhan": "Penulis game di Gamebrott yang tidak pernah melewatkan satu pun seri GTA.",
    "Dimas Prasetyo": "Pengulas hardware dan periferal gaming di Gamebrott.",
    "Nadia Putri": "Penulis gadget dan esports di Gamebrott.",
}
GB_CATEGORIES = {"tech": "Tech", "games": "Games"}
GB_POPULAR = ["g4", "g1", "g16", "g8", "g12", "g2"]
TN_POPULAR = ["t4", "t1", "t5", "t8", "t13"]
PT_POPULAR = ["p2", "p1", "p5", "p3", "p6"]


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------

def e(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def utc_iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tz_name(dt: datetime) -> str:
    offset = dt.utcoffset()
    assert offset is not None
    return TZ_NAMES[int(offset.total_seconds() // 3600)]


def id_long(dt: datetime) -> str:
    return f"{HARI[dt.weekday()]}, {dt.day} {BULAN[dt.month - 1]} {dt.year} {dt:%H:%M} {tz_name(dt)}"


def id_short(dt: datetime) -> str:
    return f"{HARI[dt.weekday()]}, {dt.day} {BULAN3[dt.month - 1]} {dt.year} {dt:%H:%M} {tz_name(dt)}"


def id_numeric(dt: datetime) -> str:
    return f"{dt:%d/%m/%Y}, {dt:%H:%M} {tz_name(dt)}"


def id_pukul(dt: datetime) -> str:
    return (f"{HARI[dt.weekday()]}, {dt.day} {BULAN[dt.month - 1]} {dt.year} "
            f"pukul {dt:%H.%M} {tz_name(dt)}")


def id_day(dt: datetime) -> str:
    return f"{dt.day} {BULAN[dt.month - 1]} {dt.year}"


def id_day_short(dt: datetime) -> str:
    return f"{dt.day} {BULAN3[dt.month - 1]} {dt.year}"


def id_weekday_day(dt: datetime) -> str:
    return f"{HARI[dt.weekday()]}, {dt.day} {BULAN[dt.month - 1]} {dt.year}"


def en_stamp(dt: datetime) -> str:
    if dt.utcoffset() == timedelta(0):
        return f"{EN_MONTH[dt.month - 1][:3]}. {dt.day}, {dt.year}, {dt:%H:%M} UTC"
    hour = dt.hour % 12 or 12
    ampm = "AM" if dt.hour < 12 else "PM"
    return f"{EN_MONTH[dt.month - 1]} {dt.day}, {dt.year} at {hour}:{dt:%M} {ampm} EST"


def en_day(dt: datetime) -> str:
    return f"{EN_MONTH[dt.month - 1][:3]} {dt.day}, {dt.year}"


def rfc822(dt: datetime) -> str:
    return (f"{EN_DAY[dt.weekday()]}, {dt.day:02d} {EN_MONTH[dt.month - 1][:3]} {dt.year} "
            f"{dt:%H:%M:%S} {dt:%z}")


GB_DATE_FORMATS = {"long": id_long, "short": id_short, "numeric": id_numeric, "pukul": id_pukul}


def published_raw(a: Article) -> str:
    if a.outlet == GB:
        return GB_DATE_FORMATS[a.datefmt](a.published)
    if a.outlet == TN:
        return en_stamp(a.published)
    return id_numeric(a.published)


def modified_raw(a: Article) -> str | None:
    if a.modified is None:
        return None
    if a.outlet == TN:
        return "Updated " + en_stamp(a.modified)
    if a.outlet == PT:
        return "Diperbarui " + id_numeric(a.modified)
    return a.modified.isoformat()   # gamebrott: only in <meta property="article:modified_time">


def excerpt(a: Article, words: int = 28) -> str:
    text = a.paragraphs[0].removeprefix("KabarTekno.id - ")
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def summary(a: Article) -> str:
    return a.summary or excerpt(a)


BY_KEY = {a.key: a for a in ARTICLES}


def of(outlet: str) -> list[Article]:
    """Articles of one outlet, newest first."""
    return sorted((a for a in ARTICLES if a.outlet == outlet), key=lambda a: a.published,
                  reverse=True)


def rotate(items: list[Article], k: int) -> list[Article]:
    if not items:
        return items
    k %= len(items)
    return items[k:] + items[:k]


BP: dict[str, dict[str, None]] = {GB: {}, TN: {}, PT: {}}


def bp(outlet: str, text: str) -> str:
    """Register a boilerplate line for the manifest; return it HTML-escaped."""
    BP[outlet][text] = None
    return e(text)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def placeholder_png(name: str) -> bytes:
    digest = hashlib.md5(name.encode(), usedforsecurity=False).digest()
    return png(16, 9, (digest[0], digest[1], digest[2]))


WRITTEN: dict[str, int] = {}


def write(path: str, content: str | bytes) -> None:
    """Write a file under SITE; `path` is the URL-ish path ('/x/y/' means /x/y/index.html)."""
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    target = SITE / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    target.write_bytes(data)
    WRITTEN[str(target.relative_to(SITE))] = len(data)


def jsonld(obj: dict) -> str:
    return ('<script type="application/ld+json">'
            + json.dumps(obj, ensure_ascii=False).replace("</", "<\\/") + "</script>")


# ----------------------------------------------------------------------------------------------
# Gamebrott (WordPress-like)
# ----------------------------------------------------------------------------------------------

def gb_shell(*, title: str, head: str, body_class: str, main: str, aside: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="id-ID">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<meta name="generator" content="WordPress 6.6.2">
<link rel="stylesheet" id="brott-style-css" href="{B}/gamebrott/wp-content/themes/brott/style.css?ver=3.1.4" media="all">
<link rel="alternate" type="application/rss+xml" title="Gamebrott &raquo; Feed" href="{B}/gamebrott/feed/">
{head}
</head>
<body class="{body_class}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Langsung ke konten</a>
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="{B}/gamebrott/" rel="home">Gamebrott</a></p>
<p class="site-description">Berita Game dan Teknologi Terkini</p></div>
<nav id="site-navigation" class="main-navigation" aria-label="Menu Utama">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<ul id="primary-menu" class="menu">
<li class="menu-item menu-item-home"><a href="{B}/gamebrott/">Beranda</a></li>
<li class="menu-item menu-item-type-taxonomy"><a href="{B}/gamebrott/category/games/">Games</a></li>
<li class="menu-item menu-item-type-taxonomy"><a href="{B}/gamebrott/category/tech/">Tech</a></li>
<li class="menu-item menu-item-type-taxonomy"><a href="{B}/gamebrott/tag/nvidia/">NVIDIA</a></li>
<li class="menu-item menu-item-type-post_type"><a href="{B}/gamebrott/about/">Tentang Kami</a></li>
</ul>
</nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
{main}
</main>
</div>
{aside}
</div>
<footer id="colophon" class="site-footer">
<div class="footer-widgets"><ul class="footer-menu">
<li><a href="{B}/gamebrott/about/">Tentang Kami</a></li>
<li><a href="{B}/gamebrott/feed/">RSS</a></li>
<li><a href="{B}/private/drafts/" rel="nofollow">Login Redaksi</a></li>
</ul></div>
<div class="site-info">{bp(GB, "© 2026 Gamebrott. All Rights Reserved.")}</div>
<a class="jetpack-mobile-link" href="{B}/gamebrott/?ak_action=reject_mobile" rel="nofollow">{bp(GB, "Exit mobile version")}</a>
</footer>
</div>
</body>
</html>
"""


def gb_sidebar(exclude: Article | None = None) -> str:
    items = [BY_KEY[k] for k in GB_POPULAR if BY_KEY[k] is not exclude][:5]
    lis = "\n".join(
        f'<li><a href="{a.url}">{e(a.title)}</a> <span class="post-date">'
        f'{id_day_short(a.published)}</span></li>' for a in items)
    cats = "\n".join(f'<li class="cat-item cat-item-{slug}"><a href="{B}/gamebrott/category/{slug}/">'
                     f'{label}</a></li>' for slug, label in GB_CATEGORIES.items())
    return f"""<aside id="secondary" class="widget-area">
<section id="brott-popular-2" class="widget widget_brott_popular">
<h2 class="widget-title">{bp(GB, "Terpopuler")}</h2>
<ul class="popular-posts">
{lis}
</ul>
</section>
<section id="categories-3" class="widget widget_categories">
<h2 class="widget-title">Kategori</h2>
<ul>
{cats}
</ul>
</section>
</aside>"""


def gb_author_url(name: str) -> str:
    return f"{B}/gamebrott/author/{slugify(name)}/"


def gb_tag_url(tag: str) -> str:
    return f"{B}/gamebrott/tag/{slugify(tag)}/"


def gb_article(a: Article, index: int) -> str:
    arts = of(GB)
    cat = GB_CATEGORIES[a.category]
    author = a.authors[0]
    same_cat = [x for x in arts if x.category == a.category and x is not a]
    related = rotate(same_cat, index)[:3]
    baca = rotate([x for x in arts if x is not a and x not in related], index * 2)[0]
    pid = int(a.article_id)

    head = [f'<meta name="description" content="{e(excerpt(a))}">']
    if a.machine_date == "meta":
        head += [
            f'<link rel="canonical" href="{a.url}">',
            '<meta property="og:locale" content="id_ID">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{e(a.title)}">',
            f'<meta property="og:description" content="{e(excerpt(a))}">',
            f'<meta property="og:url" content="{a.url}">',
            '<meta property="og:site_name" content="Gamebrott">',
            f'<meta property="article:section" content="{cat}">',
            f'<meta property="article:published_time" content="{a.published.isoformat()}">',
        ]
        if a.modified:
            head += [f'<meta property="article:modified_time" content="{a.modified.isoformat()}">',
                     f'<meta property="og:updated_time" content="{a.modified.isoformat()}">']
        head += [f'<meta property="og:image" content="{B}{a.image_path}">',
                 '<meta property="og:image:width" content="1200">',
                 '<meta property="og:image:height" content="675">',
                 '<meta name="twitter:card" content="summary_large_image">']

    figure = (f'<figure id="attachment_{pid + 1}" aria-describedby="caption-attachment-{pid + 1}" '
              f'style="width: 1200px" class="wp-caption aligncenter"><img loading="lazy" '
              f'decoding="async" class="size-full wp-image-{pid + 1}" src="{B}{a.image_path}" '
              f'alt="{e(a.caption)}" width="1200" height="675"><figcaption '
              f'id="caption-attachment-{pid + 1}" class="wp-caption-text">{e(a.caption)}'
              f'</figcaption></figure>')
    bp(GB, f"Baca juga: {baca.title}")
    baca_html = f'<p><strong>Baca juga: </strong><a href="{baca.url}">{e(baca.title)}</a></p>'
    n = len(a.paragraphs)
    body: list[str] = []
    for i, para in enumerate(a.paragraphs, start=1):
        body.append(f"<p>{e(para)}</p>")
        if i == 2:
            body.append(figure)
        if i == n // 2 + 1:
            body.append(baca_html)
    bp(GB, f"Baca juga informasi menarik Gamebrott lainnya terkait {cat} atau artikel lainnya "
           f"dari {author}.")
    body.append(f'<p>Baca juga informasi menarik Gamebrott lainnya terkait <a href="{B}/gamebrott/'
                f'category/{a.category}/">{cat}</a> atau artikel lainnya dari <a href="'
                f'{gb_author_url(author)}">{e(author)}</a>.</p>')
    body.append('<p>' + bp(GB, "For further information and other inquiries, you can contact us "
                               "via author@gamebrott.com.").replace(
        "author@gamebrott.com.", '<a href="mailto:author@gamebrott.com">author@gamebrott.com</a>.')
        + '</p>')
    body.append(
        f'<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block '
        f'sd-social sd-social-icon-text sd-sharing"><span class="sd-title">Bagikan ini:</span> '
        f'<a rel="nofollow noopener noreferrer" class="share-facebook sd-button" '
        f'href="{a.url}?share=facebook" target="_blank">Facebook</a> '
        f'<a rel="nofollow noopener noreferrer" class="share-twitter sd-button" '
        f'href="{a.url}?share=twitter" target="_blank">Twitter</a> '
        f'<a rel="nofollow noopener noreferrer" class="share-jetpack-whatsapp sd-button" '
        f'href="{a.url}?share=jetpack-whatsapp" target="_blank">WhatsApp</a></div></div>')
    bp(GB, "Bagikan ini: Facebook Twitter WhatsApp")
    rel_items = []
    for r in related:   # related titles and dates are not listed: they are real text elsewhere
        bp(GB, f'Dalam "{GB_CATEGORIES[r.category]}"')
        rel_items.append(
            f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
            f'<a class="jp-relatedposts-post-a" href="{r.url}" title="{e(r.title)}" rel="nofollow">'
            f'{e(r.title)}</a></h4><p class="jp-relatedposts-post-date">{id_day(r.published)}</p>'
            f'<p class="jp-relatedposts-post-context">Dalam &quot;{GB_CATEGORIES[r.category]}'
            f'&quot;</p></div>')
    body.append(f'<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-'
                f'headline"><em>{bp(GB, "Artikel Terkait")}</em></h3><div class="jp-relatedposts-'
                f'items jp-relatedposts-items-visual">' + "".join(rel_items) + "</div></div>")

    tag_links = ", ".join(f'<a href="{gb_tag_url(t)}" rel="tag">{e(t)}</a>' for t in a.tags)
    bp(GB, "Tags: " + ", ".join(a.tags))
    bp(GB, "Tentang Penulis")
    bp(GB, GB_AUTHORS[author])
    tag_classes = " ".join(f"tag-{slugify(t)}" for t in a.tags)
    main = f"""<article id="post-{pid}" class="post-{pid} post type-post status-publish format-standard has-post-thumbnail hentry category-{a.category} {tag_classes}">
<header class="entry-header">
<div class="entry-category"><span class="cat-links"><a href="{B}/gamebrott/category/{a.category}/" rel="category tag">{cat}</a></span></div>
<h1 class="entry-title">{e(a.title)}</h1>
<div class="entry-meta">
<span class="byline">Oleh <span class="author vcard"><a class="url fn n" rel="author" href="{gb_author_url(author)}">{e(author)}</a></span></span>
<span class="sep"> &middot; </span>
<span class="posted-on"><span class="entry-date">{e(published_raw(a))}</span></span>
</div>
</header>
<div class="entry-content">
{chr(10).join(body)}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tag_links}</span></footer>
</article>
<div class="author-box">
<img class="avatar avatar-80" src="https://secure.gravatar.com/avatar/{hashlib.md5(author.encode(), usedforsecurity=False).hexdigest()}?s=80&amp;d=mm" alt="" width="80" height="80">
<div class="author-box-info"><span class="author-box-label">Tentang Penulis</span>
<a class="author-box-name" href="{gb_author_url(author)}">{e(author)}</a>
<p class="author-box-desc">{e(GB_AUTHORS[author])}</p></div>
</div>
<nav class="navigation post-navigation" aria-label="Pos"><div class="nav-links">
<div class="nav-previous"><a href="{baca.url}" rel="prev">{e(baca.title)}</a></div>
</div></nav>"""
    body_class = (f"post-template-default single single-post postid-{pid} single-format-standard "
                  f"wp-embed-responsive")
    return gb_shell(title=f"{a.title} - Gamebrott", head="\n".join(head), body_class=body_class,
                    main=main, aside=gb_sidebar(a))


def gb_listing(*, heading: str, items: list[Article], body_class: str, description: str = "",
               prev_url: str = "", next_url: str = "", current: int = 1, pages: int = 1,
               base_url: str = "") -> str:
    entries = []
    for a in items:
        pid = a.article_id
        entries.append(f"""<article id="post-{pid}" class="post-{pid} post type-post status-publish hentry category-{a.category}">
<div class="post-thumbnail"><a href="{a.url}" aria-hidden="true" tabindex="-1"><img src="{B}{a.image_path}" alt="" width="300" height="169"></a></div>
<div class="entry-wrap">
<header class="entry-header"><h2 class="entry-title"><a href="{a.url}" rel="bookmark">{e(a.title)}</a></h2>
<div class="entry-meta"><span class="posted-on">{id_day(a.published)}</span> <span class="byline">oleh <a href="{gb_author_url(a.authors[0])}">{e(a.authors[0])}</a></span></div></header>
<div class="entry-summary"><p>{e(excerpt(a))} [&hellip;]</p></div>
</div>
</article>""")
    pager = ""
    if pages > 1:
        links = []
        if prev_url:
            links.append(f'<a class="prev page-numbers" href="{prev_url}">&laquo; Sebelumnya</a>')
        for p in range(1, pages + 1):
            if p == current:
                links.append(f'<span aria-current="page" class="page-numbers current">{p}</span>')
            else:
                href = base_url if p == 1 else f"{base_url}page/{p}/"
                links.append(f'<a class="page-numbers" href="{href}">{p}</a>')
        if next_url:
            links.append(f'<a class="next page-numbers" href="{next_url}">Berikutnya &raquo;</a>')
        pager = ('<nav class="navigation pagination" aria-label="Pos"><div class="nav-links">'
                 + " ".join(links) + "</div></nav>")
    desc = f'<div class="archive-description"><p>{e(description)}</p></div>' if description else ""
    main = (f'<header class="page-header"><h1 class="page-title">{e(heading)}</h1>{desc}</header>\n'
            + "\n".join(entries) + "\n" + pager)
    head = []
    if prev_url:
        head.append(f'<link rel="prev" href="{prev_url}">')
    if next_url:
        head.append(f'<link rel="next" href="{next_url}">')
    return gb_shell(title=f"{heading} - Gamebrott", head="\n".join(head), body_class=body_class,
                    main=main, aside=gb_sidebar())


def build_gamebrott() -> dict:
    arts = of(GB)
    listings: list[str] = []
    extra: list[str] = []
    for i, a in enumerate(ARTICLES):
        if a.outlet == GB:
            write(a.path, gb_article(a, i))
            write(a.image_path, placeholder_png(a.slug))
    write("/gamebrott/wp-content/themes/brott/style.css",
          "body{font-family:sans-serif;margin:0}.site-content{display:flex;gap:2rem}\n"
          ".widget-area{width:300px}.wp-caption-text{font-size:.85em;color:#555}\n")
    # home
    write("/gamebrott/", gb_listing(heading="Berita Terbaru", items=arts[:10],
                                    body_class="home blog hfeed"))
    listings.append("/gamebrott/")
    # categories (tech has two pages)
    per_page = 6
    for slug, label in GB_CATEGORIES.items():
        items = [a for a in arts if a.category == slug]
        chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)]
        base = f"{B}/gamebrott/category/{slug}/"
        for p, chunk in enumerate(chunks, start=1):
            path = f"/gamebrott/category/{slug}/" + ("" if p == 1 else f"page/{p}/")
            prev_url = "" if p == 1 else (base if p == 2 else f"{base}page/{p - 1}/")
            next_url = f"{base}page/{p + 1}/" if p < len(chunks) else ""
            write(path, gb_listing(
                heading=label, items=chunk, current=p, pages=len(chunks), base_url=base,
                prev_url=prev_url, next_url=next_url,
                body_class=f"archive category category-{slug}" + (" paged" if p > 1 else ""),
                description=f"Kumpulan berita {label.lower()} terbaru dari Gamebrott."))
            listings.append(path)
    # tags (all tags get a page; /gamebrott/tag/nvidia/ is the one listed in `listings`)
    tags: dict[str, str] = {}
    for a in arts:
        for t in a.tags:
            tags.setdefault(slugify(t), t)
    for slug, label in sorted(tags.items()):
        items = [a for a in arts if label in a.tags]
        path = f"/gamebrott/tag/{slug}/"
        write(path, gb_listing(heading=label, items=items, body_class=f"archive tag tag-{slug}"))
        (listings if slug == "nvidia" else extra).append(path)
    # authors
    for name in GB_AUTHORS:
        path = f"/gamebrott/author/{slugify(name)}/"
        write(path, gb_listing(heading=name, items=[a for a in arts if name in a.authors],
                               description=GB_AUTHORS[name], body_class="archive author"))
        extra.append(path)
    # about page: WordPress "page" with an entry-content, not an article
    about = """<article id="post-2" class="post-2 page type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">Tentang Kami</h1></header>
<div class="entry-content">
<p>Gamebrott adalah media online yang membahas dunia game, teknologi, dan budaya pop untuk pembaca Indonesia. Kami menulis berita, ulasan, dan opini setiap hari.</p>
<p>Redaksi Gamebrott berkantor di Jakarta dan terdiri dari penulis yang juga gamer. Kami percaya berita game dan teknologi harus ditulis dengan akurat dan tetap menyenangkan untuk dibaca.</p>
<p>Untuk kerja sama, rilis pers, dan pertanyaan lainnya, hubungi kami melalui surel di redaksi@gamebrott.com.</p>
</div>
</article>"""
    write("/gamebrott/about/", gb_shell(title="Tentang Kami - Gamebrott", head="",
                                        body_class="page-template-default page page-id-2",
                                        main=about, aside=gb_sidebar()))
    extra.append("/gamebrott/about/")
    # feed: the 12 newest posts
    feed_items = arts[:12]
    items_xml = []
    for a in feed_items:
        cats = "".join(f"\n\t\t<category><![CDATA[{c}]]></category>"
                       for c in [GB_CATEGORIES[a.category], *a.tags])
        items_xml.append(f"""\t<item>
\t\t<title>{e(a.title)}</title>
\t\t<link>{a.url}</link>
\t\t<comments>{a.url}#respond</comments>
\t\t<dc:creator><![CDATA[{a.authors[0]}]]></dc:creator>
\t\t<pubDate>{rfc822(a.published.astimezone(WIB))}</pubDate>{cats}
\t\t<guid isPermaLink="false">{B}/gamebrott/?p={a.article_id}</guid>
\t\t<description><![CDATA[<p>{e(excerpt(a))} [&#8230;]</p>
<p>The post <a href="{a.url}">{e(a.title)}</a> appeared first on <a href="{B}/gamebrott">Gamebrott</a>.</p>
]]></description>
\t\t<slash:comments>0</slash:comments>
\t</item>""")
    feed = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"
\t>

<channel>
\t<title>Gamebrott</title>
\t<atom:link href="{B}/gamebrott/feed/" rel="self" type="application/rss+xml" />
\t<link>{B}/gamebrott/</link>
\t<description>Berita Game dan Teknologi Terkini</description>
\t<lastBuildDate>{rfc822(feed_items[0].published.astimezone(WIB))}</lastBuildDate>
\t<language>id-ID</language>
\t<sy:updatePeriod>hourly</sy:updatePeriod>
\t<sy:updateFrequency>1</sy:updateFrequency>
\t<generator>https://wordpress.org/?v=6.6.2</generator>
{chr(10).join(items_xml)}
</channel>
</rss>
"""
    write("/gamebrott/feed/index.rss", feed)
    # Yoast-style sitemaps
    yoast_ns = ('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:image="http://www.'
                'google.com/schemas/sitemap-image/1.1" xsi:schemaLocation="http://www.sitemaps.org/'
                'schemas/sitemap/0.9 http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd" '
                'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"')

    def lastmod(a: Article) -> str:
        return (a.modified or a.published).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    urls = [f"\t<url>\n\t\t<loc>{B}/gamebrott/</loc>\n\t\t<lastmod>{lastmod(arts[0])}</lastmod>\n"
            f"\t</url>"]
    for a in sorted(arts, key=lambda x: x.modified or x.published):
        urls.append(f"\t<url>\n\t\t<loc>{a.url}</loc>\n\t\t<lastmod>{lastmod(a)}</lastmod>\n"
                    f"\t\t<image:image>\n\t\t\t<image:loc>{B}{a.image_path}</image:loc>\n"
                    f"\t\t</image:image>\n\t</url>")
    write("/gamebrott/post-sitemap.xml",
          f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {yoast_ns}>\n' + "\n".join(urls)
          + "\n</urlset>\n<!-- XML Sitemap generated by Yoast SEO -->\n")
    cat_urls = []
    for slug in GB_CATEGORIES:
        newest = next(a for a in arts if a.category == slug)
        cat_urls.append(f"\t<url>\n\t\t<loc>{B}/gamebrott/category/{slug}/</loc>\n"
                        f"\t\t<lastmod>{lastmod(newest)}</lastmod>\n\t</url>")
    write("/gamebrott/category-sitemap.xml",
          f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {yoast_ns}>\n' + "\n".join(cat_urls)
          + "\n</urlset>\n<!-- XML Sitemap generated by Yoast SEO -->\n")
    newest_mod = max((a.modified or a.published) for a in arts).astimezone(UTC)
    write("/gamebrott/sitemap_index.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
\t<sitemap>
\t\t<loc>{B}/gamebrott/post-sitemap.xml</loc>
\t\t<lastmod>{newest_mod:%Y-%m-%dT%H:%M:%S+00:00}</lastmod>
\t</sitemap>
\t<sitemap>
\t\t<loc>{B}/gamebrott/category-sitemap.xml</loc>
\t\t<lastmod>{newest_mod:%Y-%m-%dT%H:%M:%S+00:00}</lastmod>
\t</sitemap>
</sitemapindex>
<!-- XML Sitemap generated by Yoast SEO -->
""")
    return {
        "name": "Gamebrott", "prefix": "/gamebrott/", "lang": "id", "timezone": "+07:00",
        "home": "/gamebrott/",
        "feed": "/gamebrott/feed/", "feed_format": "rss2", "feed_size": len(feed_items),
        "sitemap": "/gamebrott/sitemap_index.xml",
        "sitemaps": ["/gamebrott/sitemap_index.xml", "/gamebrott/post-sitemap.xml",
                     "/gamebrott/category-sitemap.xml"],
        "listings": listings, "other_pages": extra,
        "article_url_pattern":
            r"^/gamebrott/(?!(?:about|feed|category|tag|author|page|wp-content)/)[a-z0-9-]+/$",
        "in_feed": [a.path for a in feed_items],
    }


# ----------------------------------------------------------------------------------------------
# The Circuit (English)
# ----------------------------------------------------------------------------------------------

TN_TRACKING = "?utm_source=twitter&utm_medium=social&fbclid=abc123"
TN_TRACKED = "t1"
TN_AUTHOR_BIOS = {
    "Jane Doe": "Jane Doe is a senior reporter covering AI and the chip industry.",
    "Sam Lee": "Sam Lee covers telecoms, space and gaming.",
    "Priya Raman": "Priya Raman covers consumer tech and policy in Asia and Europe.",
    "Marcus Holt": "Marcus Holt covers software, platforms and privacy regulation.",
    "Elena Vasquez": "Elena Vasquez covers security, energy and the games business.",
    "Circuit Staff": "Posts from The Circuit newsroom, including partner content.",
}


def tn_author_url(name: str) -> str:
    return f"{B}/technews/author/{slugify(name)}/"


def tn_tag_url(tag: str) -> str:
    return f"{B}/technews/tag/{slugify(tag)}/"


def tn_byline_text(a: Article) -> str:
    names = a.authors
    return "By " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


def tn_shell(*, title: str, head: str, body_class: str, main: str) -> str:
    nav = " ".join(f'<a class="tc-nav__link" href="{tn_tag_url(t)}">{t}</a>'
                   for t in ["AI", "Policy", "Gaming", "Smartphones", "Security", "Energy"])
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="{B}/technews/static/circuit.css">
<link rel="alternate" type="application/atom+xml" title="The Circuit" href="{B}/technews/feed.atom">
{head}
</head>
<body class="tc {body_class}">
<header class="tc-masthead">
<div class="tc-masthead__inner">
<a class="tc-logo" href="{B}/technews/"><img src="{B}/technews/static/logo.png" alt="The Circuit" width="160" height="32"></a>
<nav class="tc-nav" aria-label="Sections">{nav}</nav>
</div>
</header>
<main id="main" class="tc-main">
{main}
</main>
<footer class="tc-footer">
<nav class="tc-footer__nav"><a href="{B}/technews/about/">About</a> <a href="{B}/technews/feed.atom">Atom feed</a> <a href="{B}/technews/news-sitemap.xml">Sitemap</a></nav>
<p class="tc-footer__legal">The Circuit is an independent technology publication.</p>
</footer>
</body>
</html>
"""


def tn_rail(exclude: Article | None = None) -> str:
    items = [BY_KEY[k] for k in TN_POPULAR if BY_KEY[k] is not exclude][:4]
    lis = "\n".join(f'<li class="rail__item"><a href="{a.url}">{e(a.title)}</a> '
                    f'<time datetime="{a.published.isoformat()}">{en_day(a.published)}</time></li>'
                    for a in items)
    return (f'<aside class="rail"><section class="rail__popular"><h2 class="rail__title">'
            f'Most popular</h2><ol class="rail__list">\n{lis}\n</ol></section></aside>')


def tn_article(a: Article, index: int) -> str:
    arts = of(TN)
    others = [x for x in arts if x is not a]
    read_more = rotate(others, index * 3)[0]
    url = a.url
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": a.title,
        "description": a.summary,
        "image": [B + a.image_path],
        "datePublished": a.published.isoformat().replace("+00:00", "Z"),
        "dateModified": (a.modified or a.published).isoformat().replace("+00:00", "Z"),
        "author": [{"@type": "Person", "name": n, "url": tn_author_url(n)} for n in a.authors],
        "publisher": {"@type": "Organization", "name": "The Circuit",
                      "logo": {"@type": "ImageObject", "url": f"{B}/technews/static/logo.png"}},
        "keywords": ", ".join(a.tags),
        "articleSection": a.category,
        "inLanguage": "en",
    }
    head = "\n".join([
        f'<meta name="description" content="{e(a.summary)}">',
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="article">',
        '<meta property="og:site_name" content="The Circuit">',
        f'<meta property="og:title" content="{e(a.title)}">',
        f'<meta property="og:description" content="{e(a.summary)}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:image" content="{B}{a.image_path}">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<meta name="twitter:site" content="@thecircuit">',
        jsonld(ld),
    ])
    byline_links = [f'<a class="story__author" rel="author" href="{tn_author_url(n)}">{e(n)}</a>'
                    for n in a.authors]
    byline = "By " + (byline_links[0] if len(byline_links) == 1
                      else ", ".join(byline_links[:-1]) + " and " + byline_links[-1])
    updated = ""
    if a.modified:
        updated = (f' <time class="story__updated" datetime="{a.modified.isoformat()}">'
                   f'{e(modified_raw(a) or "")}</time>')
    bp(TN, "Advertisement")
    bp(TN, f"Read more: {read_more.title}")
    bp(TN, "Subscribe to our newsletter")
    bp(TN, "The Circuit Daily: the biggest stories in tech, delivered every weekday morning.")
    bp(TN, "Sign up")
    bp(TN, "Share this story")
    bp(TN, a.credit)
    bp(TN, "© 2026 The Circuit. All rights reserved.")
    bp(TN, "Topics: " + ", ".join(a.tags))
    n = len(a.paragraphs)
    body: list[str] = []
    for i, para in enumerate(a.paragraphs, start=1):
        body.append(f"<p>{e(para)}</p>")
        if i == 2:
            body.append('<aside class="ad-slot ad-slot--inline" aria-label="Advertisement">'
                        '<p class="ad-slot__label">Advertisement</p>'
                        '<div class="ad-slot__unit" data-ad-unit="story-inline-1"></div></aside>')
        if i == min(3, n - 1):
            body.append(f'<p class="story__readmore"><strong>Read more:</strong> '
                        f'<a href="{read_more.url}">{e(read_more.title)}</a></p>')
    body.append(
        '<section class="newsletter-box"><h2 class="newsletter-box__title">Subscribe to our '
        'newsletter</h2><p class="newsletter-box__text">The Circuit Daily: the biggest stories in '
        'tech, delivered every weekday morning.</p><form class="newsletter-box__form" action="#" '
        'method="post"><input type="email" name="email" placeholder="Your email address" '
        'aria-label="Email address"> <button type="submit">Sign up</button></form></section>')
    topics = ", ".join(f'<a href="{tn_tag_url(t)}">{e(t)}</a>' for t in a.tags)
    main = f"""<div class="story-grid">
<article class="story" data-story-id="{a.article_id}">
<header class="story__header">
<span class="story__kicker">{e(a.category)}</span>
<h1 class="story__headline">{e(a.title)}</h1>
<p class="story__dek">{e(a.summary)}</p>
<div class="story__meta">
<p class="story__byline">{byline}</p>
<p class="story__dates"><time class="story__published" datetime="{a.published.isoformat()}">{e(published_raw(a))}</time>{updated}</p>
</div>
</header>
<figure class="story__lede">
<img src="{B}{a.image_path}" alt="{e(a.caption)}" width="1600" height="900">
<figcaption><span class="story__caption">{e(a.caption)}</span> <span class="story__credit">{e(a.credit)}</span></figcaption>
</figure>
<div class="story__body">
{chr(10).join(body)}
</div>
<div class="share-bar"><span class="share-bar__label">Share this story</span> <a class="share-bar__btn" href="https://twitter.com/intent/tweet?url={url}" rel="noopener">X</a> <a class="share-bar__btn" href="https://www.facebook.com/sharer/sharer.php?u={url}" rel="noopener">Facebook</a> <a class="share-bar__btn" href="https://www.linkedin.com/sharing/share-offsite/?url={url}" rel="noopener">LinkedIn</a></div>
<div class="story__topics">Topics: {topics}</div>
<footer class="story__footer"><p>© 2026 The Circuit. All rights reserved.</p></footer>
</article>
{tn_rail(a)}
</div>"""
    return tn_shell(title=f"{a.title} | The Circuit", head=head, body_class="tc--story", main=main)


def tn_listing(*, heading: str, items: list[Article], body_class: str, intro: str = "",
               tracked: bool = False) -> str:
    lis = []
    for a in items:
        href = a.url + (e(TN_TRACKING) if tracked and a.key == TN_TRACKED else "")
        lis.append(f"""<li class="river-item">
<a class="river-item__media" href="{href}"><img src="{B}{a.image_path}" alt="" width="320" height="180"></a>
<div class="river-item__text">
<span class="river-item__kicker">{e(a.category)}</span>
<h2 class="river-item__headline"><a href="{href}">{e(a.title)}</a></h2>
<p class="river-item__dek">{e(a.summary)}</p>
<p class="river-item__meta">{e(tn_byline_text(a))} &middot; <time datetime="{a.published.isoformat()}">{en_day(a.published)}</time></p>
</div>
</li>""")
    intro_html = f'<p class="river__intro">{e(intro)}</p>' if intro else ""
    main = (f'<div class="story-grid"><section class="river"><h1 class="river__title">{e(heading)}'
            f'</h1>{intro_html}\n<ol class="river__list">\n' + "\n".join(lis)
            + f"\n</ol></section>\n{tn_rail()}</div>")
    return tn_shell(title=f"{heading} | The Circuit" if heading != "Latest" else
                    "The Circuit: technology news", head="", body_class=body_class, main=main)


def build_technews() -> dict:
    arts = of(TN)
    for i, a in enumerate(ARTICLES):
        if a.outlet == TN:
            write(a.path, tn_article(a, i))
            write(a.image_path, placeholder_png(a.slug))
    write("/technews/static/logo.png", png(32, 8, (20, 20, 20)))
    write("/technews/static/circuit.css",
          "body{font-family:Georgia,serif;margin:0}.story-grid{display:grid;"
          "grid-template-columns:1fr 300px;gap:2rem}\n.ad-slot{background:#eee;padding:1rem}\n")
    write("/technews/", tn_listing(heading="Latest", items=arts, body_class="tc--home",
                                   tracked=True))
    listings = ["/technews/"]
    extra: list[str] = []
    tags: dict[str, str] = {}
    for a in arts:
        for t in a.tags:
            tags.setdefault(slugify(t), t)
    for slug, label in sorted(tags.items()):
        path = f"/technews/tag/{slug}/"
        write(path, tn_listing(heading=label, items=[a for a in arts if label in a.tags],
                               body_class="tc--tag"))
        (listings if slug == "ai" else extra).append(path)
    for name, bio in TN_AUTHOR_BIOS.items():
        path = f"/technews/author/{slugify(name)}/"
        write(path, tn_listing(heading=name, intro=bio,
                               items=[a for a in arts if name in a.authors], body_class="tc--author"))
        extra.append(path)
    write("/technews/about/", tn_shell(
        title="About | The Circuit", head="", body_class="tc--page",
        main='<section class="page"><h1>About The Circuit</h1><p>The Circuit is an independent '
             'newsroom covering how technology is built, sold and regulated. We are funded by '
             'readers and advertisers and we do not accept payment for coverage.</p><p>Press '
             'releases may be republished in our partner-content section and are labelled as '
             'such.</p></section>'))
    extra.append("/technews/about/")
    # Atom feed: 8 newest
    entries = []
    for a in arts[:8]:
        authors = "".join(f"<author><name>{e(n)}</name><uri>{tn_author_url(n)}</uri></author>"
                          for n in a.authors)
        cats = "".join(f'<category term="{e(t)}"/>' for t in a.tags)
        entries.append(f"""  <entry>
    <title type="html">{e(a.title)}</title>
    <link rel="alternate" type="text/html" href="{a.url}"/>
    <id>tag:thecircuit.example,2026:story-{a.article_id}</id>
    <published>{a.published.isoformat()}</published>
    <updated>{(a.modified or a.published).isoformat()}</updated>
    {authors}
    {cats}
    <summary type="html">{e(a.summary)}</summary>
  </entry>""")
    newest = max((a.modified or a.published) for a in arts[:8])
    write("/technews/feed.atom", f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>The Circuit</title>
  <subtitle>Technology news, analysis and policy</subtitle>
  <link rel="alternate" type="text/html" href="{B}/technews/"/>
  <link rel="self" type="application/atom+xml" href="{B}/technews/feed.atom"/>
  <id>tag:thecircuit.example,2026:feed</id>
  <updated>{newest.isoformat()}</updated>
{chr(10).join(entries)}
</feed>
""")
    # Google News sitemap: everything
    urls = []
    for a in arts:
        urls.append(f"""  <url>
    <loc>{a.url}</loc>
    <lastmod>{(a.modified or a.published).isoformat()}</lastmod>
    <news:news>
      <news:publication>
        <news:name>The Circuit</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>{a.published.isoformat()}</news:publication_date>
      <news:title>{e(a.title)}</news:title>
      <news:keywords>{e(", ".join(a.tags))}</news:keywords>
    </news:news>
  </url>""")
    write("/technews/news-sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{chr(10).join(urls)}
</urlset>
""")
    return {
        "name": "The Circuit", "prefix": "/technews/", "lang": "en", "timezone": "America/New_York",
        "home": "/technews/",
        "feed": "/technews/feed.atom", "feed_format": "atom", "feed_size": 8,
        "sitemap": "/technews/news-sitemap.xml", "sitemaps": ["/technews/news-sitemap.xml"],
        "listings": listings, "other_pages": extra,
        "article_url_pattern": r"^/technews/\d{4}/\d{2}/[a-z0-9-]+/$",
        "in_feed": [a.path for a in arts[:8]],
    }


# ----------------------------------------------------------------------------------------------
# Kabar Tekno (kompas-like portal)
# ----------------------------------------------------------------------------------------------

PT_SHARE = "Bagikan artikel ini melalui"
PT_SHARE_TARGETS = ["WhatsApp", "Facebook", "X", "Telegram", "Salin Link"]


def pt_shell(*, title: str, head: str, main: str, body_class: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="{B}/portal/assets/kt.css">
<link rel="alternate" type="application/rss+xml" title="Kabar Tekno" href="{B}/portal/rss/">
{head}
</head>
<body class="kt-body {body_class}">
<div class="kt-topbar"><div class="container clearfix">
<a class="kt-logo" href="{B}/portal/">Kabar<span>Tekno</span></a>
<ul class="kt-nav">
<li class="kt-nav__item"><a href="{B}/portal/">Beranda</a></li>
<li class="kt-nav__item kt-nav__item--active"><a href="{B}/portal/tekno/">Tekno</a></li>
<li class="kt-nav__item"><a href="{B}/portal/rss/">RSS</a></li>
</ul>
</div></div>
<div class="container clearfix">
{main}
</div>
<div class="kt-footer"><div class="container">
<p class="kt-footer__copy">{bp(PT, "Copyright 2008 - 2026 PT Kabar Tekno Digital. All Rights Reserved.")}</p>
</div></div>
</body>
</html>
"""


def pt_popular(exclude: Article | None = None) -> str:
    items = [BY_KEY[k] for k in PT_POPULAR if BY_KEY[k] is not exclude][:4]
    rows = "\n".join(
        f'<div class="most__list clearfix"><span class="most__count">{i}</span>'
        f'<h4 class="most__title"><a class="most__link" href="{a.url}">{e(a.title)}</a></h4>'
        f'<div class="most__read">{id_weekday_day(a.published)}</div></div>'
        for i, a in enumerate(items, start=1))
    return (f'<div class="col-bs9-3"><div class="most"><h3 class="most__title--main">'
            f'{bp(PT, "Terpopuler")}</h3>\n{rows}\n</div></div>')


def pt_page_paragraphs(a: Article) -> list[list[str]]:
    if not a.page_split:
        return [a.paragraphs]
    pages, start = [], 0
    for size in a.page_split:
        pages.append(a.paragraphs[start:start + size])
        start += size
    assert start == len(a.paragraphs)
    return pages


def pt_baca(a: Article, k: int) -> str:
    others = [x for x in of(PT) if x is not a]
    target = rotate(others, k)[0]
    bp(PT, f"Baca juga: {target.title}")
    return (f'<p><strong>Baca juga: </strong><a class="inner-link-baca-juga" href="{target.url}">'
            f'{e(target.title)}</a></p>')


def pt_body(a: Article, paras: list[str], k: int, with_video: bool) -> list[str]:
    bp(PT, "ADVERTISEMENT")
    bp(PT, "SCROLL TO CONTINUE WITH CONTENT")
    out = []
    for i, para in enumerate(paras, start=1):
        out.append(f"<p>{e(para)}</p>")
        if i == 1:
            out.append(pt_baca(a, k))
        if i == 2:
            out.append('<div class="ads-on-body"><div class="ads-label">ADVERTISEMENT</div>'
                       '<div id="div-gpt-ad-inarticle" class="ads-unit"></div></div>'
                       '<div class="scroll-to-continue"><p>SCROLL TO CONTINUE WITH CONTENT</p>'
                       '</div>')
        if i == 3 and len(paras) > 3:
            out.append(pt_baca(a, k + 2))
    if with_video:
        bp(PT, f'Simak Video "{a.video}"')
        out.append(f'<div class="video-embed"><p><strong>Simak Video &quot;{e(a.video)}&quot;'
                   f'</strong></p><div class="video-embed__player" data-video-id="'
                   f'{a.article_id}"></div></div>')
    return out


def pt_pager(a: Article, page: int, total: int) -> str:
    bp(PT, "Halaman")
    links = ['<span class="paging__label">Halaman</span>']
    for p in range(1, total + 1):
        cls = "paging__link paging__link--active" if p == page else "paging__link"
        links.append(f'<a class="{cls}" href="{a.url}?page={p}">{p}</a>')
    if page > 1:
        prev_href = a.url if page == 2 else f"{a.url}?page={page - 1}"
        links.insert(0, f'<a class="paging__link paging__link--prev" href="{prev_href}">'
                        f'{bp(PT, "Halaman Sebelumnya")}</a>')
    if page < total:
        links.append(f'<a class="paging__link paging__link--next" href="{a.url}?page={page + 1}">'
                     f'{bp(PT, "Halaman Selanjutnya")}</a>')
    links.append(f'<a class="paging__all" href="{a.url}?page=all">{bp(PT, "Tampilkan Semua")}</a>')
    return '<div class="read__paging"><div class="paging clearfix">' + " ".join(links) + "</div></div>"


def pt_article(a: Article, page: int | None, total: int) -> str:
    """page: 1..total for a paged view, None for the whole article (single page or ?page=all)."""
    pages = pt_page_paragraphs(a)
    if page is None:
        paras_blocks = [(p, i * 4) for i, p in enumerate(pages)]
    else:
        paras_blocks = [(pages[page - 1], (page - 1) * 4)]
    body: list[str] = []
    for n, (paras, k) in enumerate(paras_blocks):
        last = n == len(paras_blocks) - 1 and (page is None or page == total)
        body += pt_body(a, paras, k, with_video=last)
    if page is not None and total > 1:
        body.append(pt_pager(a, page, total))
    author, editor = a.authors[0], a.editor
    bp(PT, "Dapatkan informasi dan insight pilihan redaksi Kabar Tekno")
    bp(PT, f"Penulis: {author}")
    bp(PT, f"Editor: {editor}")
    bp(PT, PT_SHARE + " " + " ".join(PT_SHARE_TARGETS))
    bp(PT, "Dok. Kabar Tekno")
    share = " ".join(f'<a class="social__item" href="https://share.example/{slugify(t)}?u={a.url}" '
                     f'rel="noopener">{t}</a>' for t in PT_SHARE_TARGETS)
    body += [
        '<div class="kt-promo"><p>Dapatkan informasi dan insight pilihan redaksi Kabar Tekno</p>'
        '<a class="kt-promo__btn" href="https://whatsapp.example/channel/kabartekno" '
        'rel="noopener">Gabung Saluran WhatsApp</a></div>',
        f'<div class="read__credit"><div class="read__credit__item">Penulis: <span class="'
        f'credit-name">{e(author)}</span></div><div class="read__credit__item">Editor: <span '
        f'class="credit-name">{e(editor)}</span></div></div>',
        f'<div class="social--share"><span class="social__label">{PT_SHARE}</span> {share}</div>',
    ]
    canonical = a.url if page in (None, 1) else f"{a.url}?page={page}"
    head = [f'<meta name="description" content="{e(excerpt(a))}">',
            f'<link rel="canonical" href="{canonical}">',
            f'<meta property="og:title" content="{e(a.title)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:url" content="{canonical}">',
            f'<meta property="og:image" content="{B}{a.image_path}">',
            '<meta property="og:site_name" content="Kabar Tekno">']
    if a.machine_date == "meta":
        head += [f'<meta name="content_PublishedDate" content="{a.published:%Y-%m-%d %H:%M:%S}">',
                 f'<meta name="content_author" content="{e(author)}">',
                 f'<meta name="content_editor" content="{e(editor)}">',
                 f'<meta name="content_category" content="{e(a.category)}">',
                 f'<meta name="content_tag" content="{e(",".join(a.tags))}">']
    elif a.machine_date == "jsonld":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle",
              "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
              "headline": a.title, "image": {"@type": "ImageObject", "url": B + a.image_path},
              "datePublished": a.published.isoformat(),
              "dateModified": (a.modified or a.published).isoformat(),
              "author": {"@type": "Person", "name": author},
              "publisher": {"@type": "Organization", "name": "Kabar Tekno"},
              "keywords": a.tags}
        head.append(jsonld(ld))
    updated = ""
    if a.modified:
        updated = f'<div class="read__time read__time--updated">{e(modified_raw(a) or "")}</div>'
    title_suffix = f" Halaman {page}" if page and page > 1 else ""
    main = f"""<div class="breadcrumb"><ul class="breadcrumb__wrap">
<li class="breadcrumb__item"><a class="breadcrumb__link" href="{B}/portal/">Beranda</a></li>
<li class="breadcrumb__item"><a class="breadcrumb__link" href="{B}/portal/tekno/">{e(a.category)}</a></li>
</ul></div>
<div class="row clearfix">
<div class="col-bs9-7">
<div class="read__header">
<h1 class="read__title">{e(a.title)}</h1>
<div class="read__info"><div class="read__time">{bp(PT, "Kabar Tekno - " + published_raw(a))}</div>{updated}</div>
</div>
<div class="photo"><div class="photo__wrap"><img src="{B}{a.image_path}" alt="{e(a.caption)}" width="780" height="390"></div>
<div class="photo__caption">{e(a.caption)}</div><div class="photo__credit">Dok. Kabar Tekno</div></div>
<div class="read__content">
<div class="clearfix">
{chr(10).join(body)}
</div>
</div>
<div class="read__tag"><span class="read__tag__label">Tag</span> {" ".join(f'<span class="tag__article__item">{e(t)}</span>' for t in a.tags)}</div>
</div>
{pt_popular(a)}
</div>"""
    return pt_shell(title=f"{a.title}{title_suffix} - Kabar Tekno", head="\n".join(head), main=main,
                    body_class="kt-read")


def pt_list_item(a: Article) -> str:
    return (f'<div class="article__list clearfix"><div class="article__asset"><a href="{a.url}">'
            f'<img src="{B}{a.image_path}" alt="" width="200" height="100"></a></div>'
            f'<div class="article__box"><div class="article__subtitle">{e(a.category)}</div>'
            f'<h3 class="article__title"><a class="article__link" href="{a.url}">{e(a.title)}</a>'
            f'</h3><div class="article__date">{id_numeric(a.published)}</div></div></div>')


def build_portal() -> dict:
    arts = of(PT)
    alt: dict[str, list[str]] = {}
    for a in arts:
        total = len(a.page_split) or 1
        base = SITE / a.path.lstrip("/")
        if total == 1:
            write(a.path + "/", pt_article(a, None, 1))
        else:
            write(a.path + "/", pt_article(a, 1, total))
            for p in range(2, total + 1):
                write(f"{a.path}/index.page-{p}.html", pt_article(a, p, total))
            write(f"{a.path}/index.page-all.html", pt_article(a, None, total))
            alt[a.key] = [a.path + "?page=1"]
        assert base.is_dir()
        write(a.image_path, placeholder_png(a.article_id))
    write("/portal/assets/kt.css", "body{font-family:Roboto,sans-serif;margin:0}"
                                   ".col-bs9-7{float:left;width:70%}.col-bs9-3{float:right}\n")
    network = [BY_KEY[k] for k in ("g1", "g4", "g16")]
    net_rows = "\n".join(f'<li class="network__item"><a href="{a.url}">{e(a.title)}</a> '
                         f'<span class="network__date">{id_numeric(a.published)}</span></li>'
                         for a in network)
    tekno = f"""<div class="row clearfix"><div class="col-bs9-7">
<div class="latest"><h1 class="latest__title">Tekno</h1>
{chr(10).join(pt_list_item(a) for a in arts)}
</div>
<div class="network"><h2 class="network__title">Dari Jaringan Kami</h2><ul>
{net_rows}
</ul></div>
</div>
{pt_popular()}
</div>"""
    write("/portal/tekno/", pt_shell(title="Berita Teknologi Terkini - Kabar Tekno", head="",
                                     main=tekno, body_class="kt-index"))
    home = f"""<div class="row clearfix"><div class="col-bs9-7">
<div class="headline"><h2 class="headline__title"><a href="{arts[0].url}">{e(arts[0].title)}</a></h2>
<div class="headline__date">{id_numeric(arts[0].published)}</div></div>
<div class="latest"><h2 class="latest__title">Berita Terkini</h2>
{chr(10).join(pt_list_item(a) for a in arts[1:4])}
<a class="latest__more" href="{B}/portal/tekno/">Indeks Berita Tekno</a>
</div></div>
{pt_popular()}
</div>"""
    write("/portal/", pt_shell(title="Kabar Tekno - Berita Teknologi dan Gadget", head="",
                               main=home, body_class="kt-home"))
    items = []
    for a in arts:
        img = B + a.image_path
        items.append(f"""<item>
<title>{e(a.title)}</title>
<link>{a.url}</link>
<guid>{a.url}</guid>
<pubDate>{rfc822(a.published.astimezone(WIB))}</pubDate>
<description><![CDATA[<img src="{img}" /> {excerpt(a)}]]></description>
<enclosure url="{img}" length="{len(placeholder_png(a.article_id))}" type="image/png" />
</item>""")
    write("/portal/rss/index.rss", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Kabar Tekno - Tekno</title>
<link>{B}/portal/tekno/</link>
<description>Berita teknologi, gadget, dan aplikasi terbaru dari Kabar Tekno</description>
<language>id</language>
<atom:link href="{B}/portal/rss/" rel="self" type="application/rss+xml" />
<lastBuildDate>{rfc822(arts[0].published.astimezone(WIB))}</lastBuildDate>
{chr(10).join(items)}
</channel>
</rss>
""")
    urls = "\n".join(f"<url><loc>{a.url}</loc><lastmod>{(a.modified or a.published).isoformat()}"
                     f"</lastmod><changefreq>hourly</changefreq></url>" for a in arts)
    write("/portal/sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://'
                                 f'www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n')
    return {
        "outlet": {
            "name": "Kabar Tekno", "prefix": "/portal/", "lang": "id", "timezone": "+07:00",
            "home": "/portal/",
            "feed": "/portal/rss/", "feed_format": "rss2", "feed_size": len(arts),
            "sitemap": "/portal/sitemap.xml", "sitemaps": ["/portal/sitemap.xml"],
            "listings": ["/portal/", "/portal/tekno/"], "other_pages": [],
            "article_url_pattern": r"^/portal/read/\d{4}/\d{2}/\d{2}/\d{8}/[a-z0-9-]+$",
            "in_feed": [a.path for a in arts],
        },
        "alt": alt,
    }


# ----------------------------------------------------------------------------------------------
# Site root, manifest
# ----------------------------------------------------------------------------------------------

def build_root(outlets: dict) -> None:
    sitemaps = "\n".join(f"Sitemap: {B}{o['sitemap']}" for o in outlets.values())
    write("/robots.txt", f"User-agent: *\nDisallow: /private/\nAllow: /\n\n{sitemaps}\n")
    links = "\n".join(f'<li><a href="{B}{o["prefix"]}">{e(o["name"])}</a> ({o["lang"]})</li>'
                      for o in outlets.values())
    write("/", f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>warta demo site</title></head>
<body>
<h1>warta demo site</h1>
<p>Three invented tech-news outlets served from one host, for testing the warta crawler.</p>
<ul>
{links}
</ul>
<p><a href="{B}/private/drafts/">Staff drafts</a> (disallowed in robots.txt)</p>
</body>
</html>
""")
    write("/private/drafts/", """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Draf redaksi - jangan dipublikasikan</title>
<meta name="robots" content="noindex, nofollow"></head>
<body><article class="post"><h1 class="entry-title">DRAF: Bocoran Jadwal Rilis Konsol Baru</h1>
<div class="entry-content"><p>Ini adalah draf internal yang belum boleh dipublikasikan. Crawler yang
mematuhi robots.txt tidak boleh pernah mengambil halaman ini.</p></div></article></body></html>
""")


def article_record(a: Article, alt: list[str]) -> dict[str, object]:
    rec: dict[str, object] = {
        "key": a.key, "outlet": a.outlet, "path": a.path, "title": a.title,
        "authors": a.authors, "lang": a.lang or ("en" if a.outlet == TN else "id"),
        "published_raw": published_raw(a),
        "published_local": a.published.isoformat(),
        "published_utc": utc_iso(a.published),
        "modified_raw": modified_raw(a),
        "modified_utc": utc_iso(a.modified) if a.outlet != TN else utc_iso(a.modified or a.published),
        "date_markup": {
            GB: {"meta": "meta article:published_time + visible text",
                 "none": "visible text only"}.get(a.machine_date, ""),
            TN: "json-ld NewsArticle + time[datetime] + visible text",
            PT: {"meta": "meta content_PublishedDate (local WIB, no offset) + visible text",
                 "jsonld": "json-ld NewsArticle + visible text",
                 "none": "visible text only"}.get(a.machine_date, ""),
        }[a.outlet],
        "event": a.event,
        "category": GB_CATEGORIES.get(a.category, a.category),
        "summary": summary(a),
        "paragraphs": a.paragraphs,
        "captions": [a.caption],
        "image": a.image_path,
        "tags": a.tags,
        "syndicated_from": BY_KEY[a.syndicated_from].path if a.syndicated_from else None,
        "pages": len(a.page_split) or 1,
        "all_in_one": "?page=all" if a.page_split else None,
        "alt_paths": alt,
    }
    if a.outlet == PT:
        rec["editor"] = a.editor
    if a.page_split:
        pages = pt_page_paragraphs(a)
        rec["page_paths"] = [a.path] + [f"{a.path}?page={p}" for p in range(2, len(pages) + 1)]
        rec["page_paragraphs"] = pages
        for marker, paras in zip(a.page_markers, pages, strict=True):
            assert sum(marker in p for p in paras) == 1, marker
        rec["page_markers"] = {str(i): m for i, m in enumerate(a.page_markers, start=1)}
    return rec


def main() -> None:
    if SITE.exists():
        shutil.rmtree(SITE)
    SITE.mkdir(parents=True)
    outlets = {GB: build_gamebrott(), TN: build_technews()}
    portal = build_portal()
    outlets[PT] = portal["outlet"]
    build_root(outlets)

    articles = []
    for a in ARTICLES:
        alt: list[str] = []
        if a.outlet == GB:
            alt = [f"{a.path}?share={s}" for s in ("facebook", "twitter", "jetpack-whatsapp")]
        elif a.outlet == TN and a.key == TN_TRACKED:
            alt = [a.path + TN_TRACKING]
        elif a.outlet == PT:
            alt = portal["alt"].get(a.key, [])
        articles.append(article_record(a, alt))
    for o in outlets.values():
        o["in_feed"] = sorted(o["in_feed"])
    non_articles = ["/"]
    for o in outlets.values():
        non_articles += o["listings"] + o["other_pages"]
    events = {}
    for ev, desc in EVENTS.items():
        members = [a for a in ARTICLES if a.event == ev]
        events[ev] = {"description": desc, "paths": [a.path for a in members],
                      "outlets": sorted({a.outlet for a in members})}
    manifest = {
        "about": "Ground truth for demo/site, written by demo/build_site.py. Paths are relative "
                 "to the server's base URL; files store absolute URLs as {{BASE}}.",
        "today": TODAY,
        "base_placeholder": B,
        "robots": {"disallow": ["/private/"], "disallowed_pages": ["/private/drafts/"]},
        "outlets": outlets,
        "articles": articles,
        "events": events,
        "boilerplate": {k: list(v) for k, v in BP.items()},
        "non_articles": non_articles,
        "tracking_url": BY_KEY[TN_TRACKED].path + TN_TRACKING,
        "feeds": {k: o["feed"] for k, o in outlets.items()},
        "sitemaps": [o["sitemap"] for o in outlets.values()],
    }
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    total = sum(WRITTEN.values())
    print(f"wrote {len(WRITTEN)} files ({total / 1024:.0f} KiB) under {SITE} and {MANIFEST.name}; "
          f"{len(articles)} articles")


if __name__ == "__main__":
    main()
