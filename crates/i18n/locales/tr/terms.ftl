# Turkish labels of the taxonomy terms (topics, target groups, offer categories).

term-topic-education = Eğitim
term-topic-language = Dil
term-topic-culture = Kültür
term-topic-religion = Din
term-topic-sports = Spor
term-topic-youth = Gençlik
term-topic-women = Kadınlar
term-topic-seniors = Yaşlılar
term-topic-counselling = Danışmanlık
term-topic-health = Sağlık
term-topic-labour = İş ve meslek eğitimi
term-topic-participation = Katılım ve gönüllülük
term-topic-refugees = Mülteciler ve iltica

term-target_group-children = Çocuklar
term-target_group-youth = Gençler
term-target_group-women = Kadınlar
term-target_group-families = Aileler
term-target_group-seniors = Yaşlılar
term-target_group-newcomers = Yeni gelenler
term-target_group-refugees = Mülteciler
term-target_group-everyone = Herkes

term-offer_category-language_course = Dil kursu
term-offer_category-counselling = Danışmanlık
term-offer_category-homework_help = Ödev yardımı
term-offer_category-culture = Kültür ve buluşma
term-offer_category-sport = Spor ve hareket
term-offer_category-parents = Ebeveynler ve aile
term-offer_category-women = Kadınlar
term-offer_category-youth = Çocuklar ve gençler
term-offer_category-religion = Din ve inanç
term-offer_category-other = Diğer

# Need categories (what associations report to the office).
term-need_category-rooms = Mekânlar
term-need_category-funding = Finansman ve hibeler
term-need_category-language_courses = Dil kursları
term-need_category-counselling = Danışmanlık
term-need_category-volunteers = Gönüllüler
term-need_category-networking = İş birliği ağları
term-need_category-qualification = Eğitim ve mesleki gelişim
term-need_category-public_relations = Halkla ilişkiler
term-need_category-other = Diğer
