# البحث في الدليل: ما يُقترح عند عدم وجود نتائج.

search-tips-heading = نصائح للبحث
search-did-you-mean = هل تقصدون { $suggestion }؟
search-browse-categories = الخدمات حسب الفئة:
search-browse-calendar = جميع الفعاليات في التقويم
