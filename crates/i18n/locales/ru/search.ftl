# Поиск по справочнику: что предлагается, если ничего не найдено.

search-tips-heading = Советы по поиску
search-did-you-mean = Возможно, вы имели в виду { $suggestion }?
search-browse-categories = Предложения по категориям:
search-browse-calendar = Все мероприятия в календаре
