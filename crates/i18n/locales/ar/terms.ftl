# Arabic labels of the taxonomy terms (topics, target groups, offer categories).

term-topic-education = التعليم
term-topic-language = اللغة
term-topic-culture = الثقافة
term-topic-religion = الدين
term-topic-sports = الرياضة
term-topic-youth = الشباب
term-topic-women = النساء
term-topic-seniors = كبار السن
term-topic-counselling = الاستشارة
term-topic-health = الصحة
term-topic-labour = العمل والتدريب المهني
term-topic-participation = المشاركة والعمل التطوعي
term-topic-refugees = اللاجئون واللجوء

term-target_group-children = الأطفال
term-target_group-youth = الشباب
term-target_group-women = النساء
term-target_group-families = العائلات
term-target_group-seniors = كبار السن
term-target_group-newcomers = القادمون الجدد
term-target_group-refugees = اللاجئون
term-target_group-everyone = الجميع

term-offer_category-language_course = دورة لغة
term-offer_category-counselling = استشارة
term-offer_category-homework_help = المساعدة في الواجبات المدرسية
term-offer_category-culture = الثقافة واللقاء
term-offer_category-sport = الرياضة والنشاط البدني
term-offer_category-parents = الأهل والأسرة
term-offer_category-women = النساء
term-offer_category-youth = الأطفال والشباب
term-offer_category-religion = الدين والإيمان
term-offer_category-other = أخرى

# Need categories (what associations report to the office).
term-need_category-rooms = القاعات والأماكن
term-need_category-funding = التمويل والمنح
term-need_category-language_courses = دورات اللغة
term-need_category-counselling = الاستشارة
term-need_category-volunteers = المتطوعون
term-need_category-networking = التشبيك
term-need_category-qualification = التأهيل والتدريب
term-need_category-public_relations = العلاقات العامة
term-need_category-other = أخرى
