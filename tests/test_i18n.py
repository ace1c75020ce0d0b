from catalogue_tables import LABELS, LANGUAGES


def test_every_language_has_the_same_labels() -> None:
    english = set(LABELS["en"])
    for language in LANGUAGES:
        assert set(LABELS[language]) == english, language


def test_no_label_is_empty_or_left_untranslated_by_accident() -> None:
    for language in LANGUAGES:
        for key, text in LABELS[language].items():
            assert text.strip(), (language, key)
