"""Function words of English and Indonesian news, dropped before weighting.

Only words that say nothing about *which* event an article reports: no names, no topic words.
IDF demotes the rest of the common vocabulary, but an archive starts empty, and these lists
keep its first stories from being grouped by "the" and "yang".
"""

from __future__ import annotations

ENGLISH = frozenset("""
a about above after again against ago all almost along already also although always am among
an and another any anyone anything are around as at away back be became because become been
before being below between both but by can cannot could did do does doing done down during
each either else even ever every few for from further get gets got had has have having he her
here hers herself him himself his how however i if in into is it its itself just last later
least less like made make many may me might more most much must my myself near need neither
never new next no nor not now of off often on once one only or other others our ours
ourselves out over own per perhaps quite rather really said same say says see seen several
shall she should since so some something still such than that the their theirs them
themselves then there these they this those though through thus to too toward towards under
until up upon us very via was we were what when where whether which while who whom whose
why will with within without would yet you your yours yourself yourselves s t re ve ll d m
told tell according also just week weeks day days year years month months time times today
yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mr mrs ms
""".split())

INDONESIAN = frozenset("""
ada adalah adanya agar akan akhirnya aku amat anda antara apa apabila apakah apalagi atas
atau ataupun bagai bagaimana bagaimanapun bagi bahkan bahwa baik banyak baru bawah beberapa
begini begitu belum benar berada berapa berbagai bersama besar betapa biasa biasanya bila
bisa boleh bukan bukankah cukup dalam dan dapat dari daripada demi demikian dengan di dia
dimana dong dulu hal hampir hanya hari harus hingga ia ialah ini itu jadi jika juga kalau
kami kamu kan karena kata ke kecuali kemudian kenapa kepada ketika khususnya kita lagi lain
lainnya lalu lama lebih maka mampu mana masih melalui memang mengapa menjadi menurut mereka
merupakan meski meskipun mungkin namun nanti nya oleh pada padahal para pernah pula pun
punya saat saja salah sama sampai sangat saya se sebab sebagai sebelum sebelumnya sebuah
secara sedang sedangkan sehingga sejak sekali sekarang selain selalu seluruh semua sendiri
seorang seperti sering serta sesuai setelah setiap siapa sudah supaya tak tanpa tapi telah
tentang tentu terhadap termasuk tersebut tetapi tidak toh untuk walau walaupun yaitu yakni
yang ya ini itu tadi kini kala usai jelas pihak cara bagian hal turut mulai
senin selasa rabu kamis jumat sabtu minggu pekan bulan tahun kemarin besok
baca juga simak berita
""".split())

STOPWORDS = ENGLISH | INDONESIAN
