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
