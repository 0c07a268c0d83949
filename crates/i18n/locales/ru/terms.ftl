# Russian labels of the taxonomy terms (topics, target groups, offer categories).

term-topic-education = Образование
term-topic-language = Язык
term-topic-culture = Культура
term-topic-religion = Религия
term-topic-sports = Спорт
term-topic-youth = Молодёжь
term-topic-women = Женщины
term-topic-seniors = Пожилые люди
term-topic-counselling = Консультации
term-topic-health = Здоровье
term-topic-labour = Работа и профессиональное обучение
term-topic-participation = Участие и общественная активность
term-topic-refugees = Беженцы и убежище

term-target_group-children = Дети
term-target_group-youth = Молодёжь
term-target_group-women = Женщины
term-target_group-families = Семьи
term-target_group-seniors = Пожилые люди
term-target_group-newcomers = Недавно приехавшие
term-target_group-refugees = Беженцы
term-target_group-everyone = Все

term-offer_category-language_course = Языковой курс
term-offer_category-counselling = Консультации
term-offer_category-homework_help = Помощь с домашними заданиями
term-offer_category-culture = Культура и встречи
term-offer_category-sport = Спорт и физическая активность
term-offer_category-parents = Родители и семья
term-offer_category-women = Женщины
term-offer_category-youth = Дети и молодёжь
term-offer_category-religion = Религия и вера
term-offer_category-other = Другое

# Need categories (what associations report to the office).
term-need_category-rooms = Помещения
term-need_category-funding = Финансирование и гранты
term-need_category-language_courses = Языковые курсы
term-need_category-counselling = Консультации
term-need_category-volunteers = Волонтёры
term-need_category-networking = Налаживание связей
term-need_category-qualification = Обучение и повышение квалификации
term-need_category-public_relations = Работа с общественностью
term-need_category-other = Другое
