//! The portal's e-mails in the six portal languages: the invitation, the
//! sign-in link and the outcome of a proposal. Plain text, short, no
//! jargon; the office's name signs them.

/// (subject, text) of an invitation.
pub fn invitation(
    lang: &str,
    office: &str,
    organisation: &str,
    name: &str,
    link: &str,
) -> (String, String) {
    let (subject, body) = match lang {
        "en" => (
            "Your access to the portal of {office}",
            "Hello {name},\n\n{office} invites you to keep the entry of {organisation} up to date yourself: your offers and events, your needs and ideas, and your answers to meeting invitations.\n\nOpen this link to set up your access (valid for 14 days, once):\n{link}\n\nIf you did not expect this e-mail, you can ignore it.\n\nKind regards\n{office}\n",
        ),
        "tr" => (
            "{office} portalına erişiminiz",
            "Merhaba {name},\n\n{office}, {organisation} kaydını kendiniz güncel tutmanız için sizi davet ediyor: teklifleriniz ve etkinlikleriniz, ihtiyaçlarınız ve fikirleriniz, toplantı davetlerine yanıtlarınız.\n\nErişiminizi oluşturmak için bu bağlantıyı açın (14 gün geçerli, tek kullanımlık):\n{link}\n\nBu e-postayı beklemiyorsanız dikkate almayabilirsiniz.\n\nSaygılarımızla\n{office}\n",
        ),
        "ar" => (
            "وصولكم إلى بوابة {office}",
            "مرحبًا {name}،\n\nيدعوكم {office} إلى تحديث بيانات {organisation} بأنفسكم: عروضكم وفعالياتكم، واحتياجاتكم وأفكاركم، وردودكم على دعوات الاجتماعات.\n\nافتحوا هذا الرابط لإنشاء وصولكم (صالح لمدة 14 يومًا ولمرة واحدة):\n{link}\n\nإذا لم تكونوا تتوقعون هذه الرسالة، يمكنكم تجاهلها.\n\nمع أطيب التحيات\n{office}\n",
        ),
        "ru" => (
            "Ваш доступ к порталу {office}",
            "Здравствуйте, {name}!\n\n{office} приглашает вас самостоятельно поддерживать запись {organisation} в актуальном состоянии: ваши предложения и мероприятия, потребности и идеи, ответы на приглашения на заседания.\n\nОткройте эту ссылку, чтобы настроить доступ (действует 14 дней, один раз):\n{link}\n\nЕсли вы не ждали этого письма, просто не обращайте на него внимания.\n\nС уважением\n{office}\n",
        ),
        "uk" => (
            "Ваш доступ до порталу {office}",
            "Вітаємо, {name}!\n\n{office} запрошує вас самостійно підтримувати запис {organisation} в актуальному стані: ваші пропозиції та заходи, потреби та ідеї, відповіді на запрошення на засідання.\n\nВідкрийте це посилання, щоб налаштувати доступ (діє 14 днів, один раз):\n{link}\n\nЯкщо ви не очікували цього листа, просто проігноруйте його.\n\nЗ повагою\n{office}\n",
        ),
        _ => (
            "Ihr Zugang zum Portal von {office}",
            "Guten Tag {name},\n\n{office} lädt Sie ein, den Eintrag von {organisation} selbst aktuell zu halten: Ihre Angebote und Veranstaltungen, Ihre Bedarfe und Ideen und Ihre Antworten auf Einladungen zu Sitzungen.\n\nÖffnen Sie diesen Link, um Ihren Zugang einzurichten (14 Tage gültig, einmal verwendbar):\n{link}\n\nWenn Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.\n\nMit freundlichen Grüßen\n{office}\n",
        ),
    };
    let fill = |t: &str| {
        t.replace("{office}", office)
            .replace("{organisation}", organisation)
            .replace("{name}", name)
            .replace("{link}", link)
    };
    (fill(subject), fill(body))
}

/// (subject, text) of a sign-in link.
pub fn sign_in_link(lang: &str, office: &str, link: &str) -> (String, String) {
    let (subject, body) = match lang {
        "en" => (
            "Your sign-in link for {office}",
            "Hello,\n\nopen this link to sign in (valid for 15 minutes, once):\n{link}\n\nIf you did not ask for it, you can ignore this e-mail; nobody can sign in without the link.\n\n{office}\n",
        ),
        "tr" => (
            "{office} için giriş bağlantınız",
            "Merhaba,\n\ngiriş yapmak için bu bağlantıyı açın (15 dakika geçerli, tek kullanımlık):\n{link}\n\nBunu siz istemediyseniz bu e-postayı dikkate almayın; bağlantı olmadan kimse giriş yapamaz.\n\n{office}\n",
        ),
        "ar" => (
            "رابط تسجيل الدخول إلى {office}",
            "مرحبًا،\n\nافتحوا هذا الرابط لتسجيل الدخول (صالح لمدة 15 دقيقة ولمرة واحدة):\n{link}\n\nإذا لم تطلبوه، يمكنكم تجاهل هذه الرسالة؛ لا يمكن لأحد تسجيل الدخول دون الرابط.\n\n{office}\n",
        ),
        "ru" => (
            "Ваша ссылка для входа в {office}",
            "Здравствуйте!\n\nОткройте эту ссылку, чтобы войти (действует 15 минут, один раз):\n{link}\n\nЕсли вы её не запрашивали, не обращайте внимания на это письмо: без ссылки войти нельзя.\n\n{office}\n",
        ),
        "uk" => (
            "Ваше посилання для входу до {office}",
            "Вітаємо!\n\nВідкрийте це посилання, щоб увійти (діє 15 хвилин, один раз):\n{link}\n\nЯкщо ви його не запитували, проігноруйте цей лист: без посилання увійти неможливо.\n\n{office}\n",
        ),
        _ => (
            "Ihr Anmeldelink für {office}",
            "Guten Tag,\n\nöffnen Sie diesen Link, um sich anzumelden (15 Minuten gültig, einmal verwendbar):\n{link}\n\nWenn Sie ihn nicht angefordert haben, können Sie diese E-Mail ignorieren; ohne den Link kann sich niemand anmelden.\n\n{office}\n",
        ),
    };
    let fill = |t: &str| t.replace("{office}", office).replace("{link}", link);
    (fill(subject), fill(body))
}

/// (subject, text) telling a representative what became of their change.
pub fn decided(
    lang: &str,
    office: &str,
    what: &str,
    accepted: bool,
    message: &str,
    link: &str,
) -> (String, String) {
    let (subject, yes, no, note) = match lang {
        "en" => (
            "Your change: {what}",
            "{office} has published your change ({what}).",
            "{office} has not taken over your change ({what}).",
            "Message from the office:",
        ),
        "tr" => (
            "Değişikliğiniz: {what}",
            "{office} değişikliğinizi ({what}) yayınladı.",
            "{office} değişikliğinizi ({what}) kabul etmedi.",
            "Ofisin mesajı:",
        ),
        "ar" => (
            "تعديلكم: {what}",
            "نشر {office} تعديلكم ({what}).",
            "لم يعتمد {office} تعديلكم ({what}).",
            "رسالة من المكتب:",
        ),
        "ru" => (
            "Ваше изменение: {what}",
            "{office} опубликовал ваше изменение ({what}).",
            "{office} не принял ваше изменение ({what}).",
            "Сообщение от офиса:",
        ),
        "uk" => (
            "Ваша зміна: {what}",
            "{office} опублікував вашу зміну ({what}).",
            "{office} не прийняв вашу зміну ({what}).",
            "Повідомлення від офісу:",
        ),
        _ => (
            "Ihre Änderung: {what}",
            "{office} hat Ihre Änderung ({what}) veröffentlicht.",
            "{office} hat Ihre Änderung ({what}) nicht übernommen.",
            "Nachricht des Büros:",
        ),
    };
    let fill = |t: &str| t.replace("{office}", office).replace("{what}", what);
    let mut text = fill(if accepted { yes } else { no });
    if !message.trim().is_empty() {
        text.push_str(&format!("\n\n{note}\n{}", message.trim()));
    }
    text.push_str(&format!("\n\n{link}\n\n{office}\n"));
    (fill(subject), text)
}

/// (subject, text) of a survey's invitation or reminder. `portal`: the
/// link opens the survey in the portal (the person signs in), else it is
/// the organisation's personal link (no account needed).
#[allow(clippy::too_many_arguments)]
pub fn survey(
    lang: &str,
    office: &str,
    organisation: &str,
    title: &str,
    closes_on: Option<chrono::NaiveDate>,
    link: &str,
    reminder: bool,
    portal: bool,
) -> (String, String) {
    // (invitation subject, reminder subject, opening, reminder opening,
    //  link via portal, personal link, until, closing)
    let t: [&str; 8] = match lang {
        "en" => [
            "Survey: {title}",
            "Reminder: {title}",
            "Hello,\n\n{office} asks {organisation} to answer the survey \"{title}\". Your answers help the office see what the organisations need.",
            "Hello,\n\nwe have not yet received the answer of {organisation} to the survey \"{title}\". It takes only a few minutes.",
            "Sign in to the portal to answer:",
            "Answer with this personal link (no account needed; please do not pass it on outside your organisation):",
            "You can answer and change your answer until {until}.",
            "Kind regards\n{office}",
        ],
        "tr" => [
            "Anket: {title}",
            "Hatırlatma: {title}",
            "Merhaba,\n\n{office}, {organisation} kuruluşundan \"{title}\" anketini yanıtlamasını rica ediyor. Yanıtlarınız, ofisin kuruluşların ihtiyaçlarını görmesine yardımcı olur.",
            "Merhaba,\n\n{organisation} kuruluşunun \"{title}\" anketine yanıtını henüz almadık. Yalnızca birkaç dakika sürer.",
            "Yanıtlamak için portala giriş yapın:",
            "Bu kişisel bağlantıyla yanıtlayın (hesap gerekmez; lütfen kuruluşunuz dışında paylaşmayın):",
            "{until} tarihine kadar yanıtlayabilir ve yanıtınızı değiştirebilirsiniz.",
            "Saygılarımızla\n{office}",
        ],
        "ar" => [
            "استبيان: {title}",
            "تذكير: {title}",
            "مرحبًا،\n\nيرجو {office} من {organisation} الإجابة عن الاستبيان \"{title}\". تساعد إجاباتكم المكتب على معرفة احتياجات المنظمات.",
            "مرحبًا،\n\nلم نتلقَّ بعد إجابة {organisation} عن الاستبيان \"{title}\". لا يستغرق ذلك سوى بضع دقائق.",
            "سجّلوا الدخول إلى البوابة للإجابة:",
            "أجيبوا عبر هذا الرابط الشخصي (لا حاجة إلى حساب؛ يرجى عدم مشاركته خارج منظمتكم):",
            "يمكنكم الإجابة وتعديل إجابتكم حتى {until}.",
            "مع أطيب التحيات\n{office}",
        ],
        "ru" => [
            "Опрос: {title}",
            "Напоминание: {title}",
            "Здравствуйте!\n\n{office} просит {organisation} ответить на опрос «{title}». Ваши ответы помогут офису понять потребности организаций.",
            "Здравствуйте!\n\nМы ещё не получили ответ {organisation} на опрос «{title}». Это займёт всего несколько минут.",
            "Войдите в портал, чтобы ответить:",
            "Ответьте по этой личной ссылке (учётная запись не нужна; пожалуйста, не передавайте её за пределы вашей организации):",
            "Ответить и изменить ответ можно до {until}.",
            "С уважением\n{office}",
        ],
        "uk" => [
            "Опитування: {title}",
            "Нагадування: {title}",
            "Вітаємо!\n\n{office} просить {organisation} відповісти на опитування «{title}». Ваші відповіді допоможуть офісу зрозуміти потреби організацій.",
            "Вітаємо!\n\nМи ще не отримали відповіді {organisation} на опитування «{title}». Це займе лише кілька хвилин.",
            "Увійдіть до порталу, щоб відповісти:",
            "Відповідайте за цим особистим посиланням (обліковий запис не потрібен; будь ласка, не передавайте його за межі вашої організації):",
            "Відповісти й змінити відповідь можна до {until}.",
            "З повагою\n{office}",
        ],
        _ => [
            "Umfrage: {title}",
            "Erinnerung: {title}",
            "Guten Tag,\n\n{office} bittet {organisation}, die Umfrage „{title}“ zu beantworten. Ihre Antworten helfen dem Büro zu sehen, was die Organisationen brauchen.",
            "Guten Tag,\n\ndie Antwort von {organisation} auf die Umfrage „{title}“ fehlt uns noch. Sie dauert nur wenige Minuten.",
            "Melden Sie sich im Portal an, um zu antworten:",
            "Antworten Sie über diesen persönlichen Link (kein Konto nötig; bitte geben Sie ihn nicht außerhalb Ihrer Organisation weiter):",
            "Sie können bis zum {until} antworten und Ihre Antwort ändern.",
            "Mit freundlichen Grüßen\n{office}",
        ],
    };
    let until = closes_on.map(|d| d.format("%d.%m.%Y").to_string());
    let fill = |s: &str| {
        s.replace("{office}", office)
            .replace("{organisation}", organisation)
            .replace("{title}", title)
            .replace("{until}", until.as_deref().unwrap_or_default())
    };
    let subject = fill(if reminder { t[1] } else { t[0] });
    let mut text = fill(if reminder { t[3] } else { t[2] });
    text.push_str("\n\n");
    text.push_str(if portal { t[4] } else { t[5] });
    text.push('\n');
    text.push_str(link);
    if until.is_some() {
        text.push_str("\n\n");
        text.push_str(&fill(t[6]));
    }
    text.push_str("\n\n");
    text.push_str(&fill(t[7]));
    text.push('\n');
    (subject, text)
}

/// The end of every message of a mailing: why the person gets it and the
/// link that ends it (one click, at once). `link` empty: a test send
/// (the real messages carry each person's own link there).
pub fn mailing_footer(lang: &str, office: &str, link: &str) -> String {
    // (why, unsubscribe, test placeholder)
    let (why, leave, test) = match lang {
        "en" => (
            "You receive this circular from {office} because you agreed to receive its mailings.",
            "Unsubscribe (one click, effective at once):",
            "[Each recipient's own unsubscribe link appears here.]",
        ),
        "tr" => (
            "Bu genelgeyi, {office} tarafından gönderilen e-postaları almayı kabul ettiğiniz için alıyorsunuz.",
            "Abonelikten çık (tek tıkla, hemen geçerli):",
            "[Burada her alıcının kendi abonelikten çıkma bağlantısı yer alır.]",
        ),
        "ar" => (
            "تصلكم هذه الرسالة من {office} لأنكم وافقتم على تلقي رسائله.",
            "إلغاء الاشتراك (بنقرة واحدة، يسري فورًا):",
            "[يظهر هنا رابط إلغاء الاشتراك الخاص بكل مستلم.]",
        ),
        "ru" => (
            "Вы получаете эту рассылку от {office}, потому что согласились получать его письма.",
            "Отписаться (одним щелчком, сразу):",
            "[Здесь стоит личная ссылка для отписки каждого получателя.]",
        ),
        "uk" => (
            "Ви отримуєте цю розсилку від {office}, бо погодилися отримувати його листи.",
            "Відписатися (одним натисканням, одразу):",
            "[Тут стоїть особисте посилання для відписки кожного отримувача.]",
        ),
        _ => (
            "Sie erhalten dieses Rundschreiben von {office}, weil Sie zugestimmt haben, seine Rundschreiben zu bekommen.",
            "Abmelden (ein Klick, sofort wirksam):",
            "[Hier steht der persönliche Abmeldelink jeder Empfängerin und jedes Empfängers.]",
        ),
    };
    let link = if link.is_empty() { test } else { link };
    format!(
        "\n\n-- \n{}\n{leave}\n{link}\n",
        why.replace("{office}", office)
    )
}
