# Ukrainian labels of the taxonomy terms (topics, target groups, offer categories).

term-topic-education = Освіта
term-topic-language = Мова
term-topic-culture = Культура
term-topic-religion = Релігія
term-topic-sports = Спорт
term-topic-youth = Молодь
term-topic-women = Жінки
term-topic-seniors = Люди похилого віку
term-topic-counselling = Консультації
term-topic-health = Здоров’я
term-topic-labour = Робота й професійне навчання
term-topic-participation = Участь і громадська активність
term-topic-refugees = Біженці та притулок

term-target_group-children = Діти
term-target_group-youth = Молодь
term-target_group-women = Жінки
term-target_group-families = Сім’ї
term-target_group-seniors = Люди похилого віку
term-target_group-newcomers = Нещодавно прибулі
term-target_group-refugees = Біженці
term-target_group-everyone = Усі

term-offer_category-language_course = Мовний курс
term-offer_category-counselling = Консультації
term-offer_category-homework_help = Допомога з домашніми завданнями
term-offer_category-culture = Культура та зустрічі
term-offer_category-sport = Спорт і фізична активність
term-offer_category-parents = Батьки та сім’я
term-offer_category-women = Жінки
term-offer_category-youth = Діти й молодь
term-offer_category-religion = Релігія та віра
term-offer_category-other = Інше

# Need categories (what associations report to the office).
term-need_category-rooms = Приміщення
term-need_category-funding = Фінансування та гранти
term-need_category-language_courses = Мовні курси
term-need_category-counselling = Консультації
term-need_category-volunteers = Волонтери
term-need_category-networking = Налагодження зв’язків
term-need_category-qualification = Навчання та підвищення кваліфікації
term-need_category-public_relations = Робота з громадськістю
term-need_category-other = Інше
