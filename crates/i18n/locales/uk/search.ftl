# Пошук у довіднику: що пропонується, якщо нічого не знайдено.

search-tips-heading = Поради щодо пошуку
search-did-you-mean = Можливо, ви мали на увазі { $suggestion }?
search-browse-categories = Пропозиції за категоріями:
search-browse-calendar = Усі заходи в календарі
