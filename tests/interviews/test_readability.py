import pytest

from interviews.readability import lix


def test_lix_known_text():
    # 10 words, 2 sentences, 3 long words (myndigheten, skickar, beslutet): 10/2 + 100*3/10 = 35.
    result = lix("Myndigheten skickar beslutet i dag. Du får det på fredag.")
    assert (result.words, result.sentences, result.long_words) == (10, 2, 3)
    assert result.score == 35.0
    assert result.meaning.startswith("lättläst")


def test_lix_short_words_is_very_easy():
    # 8 words, 2 sentences, no long word: 8/2 + 0 = 4.
    result = lix("Vi ses på mötet. Ta med en kopp.")
    assert (result.words, result.sentences, result.long_words) == (8, 2, 0)
    assert result.score == 4.0
    assert result.meaning.startswith("mycket lättläst")


def test_lix_bureaucratic_text_is_very_hard():
    text = (
        "Handläggningstiden beräknas understiga nittio arbetsdagar förutsatt att sökanden "
        "inkommer med samtliga efterfrågade kompletteringar."
    )
    result = lix(text)
    # 13 words, 1 sentence, 10 long words (all but nittio, att, med): 13 + 100*10/13 = 89.9.
    assert (result.words, result.sentences, result.long_words) == (13, 1, 10)
    assert result.score == 89.9
    assert result.meaning.startswith("mycket svår")


def test_lix_counts_letters_not_punctuation_or_digits():
    # "hej," and "2026" are not long; "fantastiskt!" has 11 letters.
    result = lix("Hej, 2026 blir fantastiskt!")
    assert (result.words, result.long_words, result.sentences) == (3, 1, 1)


def test_lix_does_not_split_sentences_inside_web_addresses():
    assert lix("Läs mer på example.org i dag.").sentences == 1


@pytest.mark.parametrize("text", ["", "   ", "123 456"])
def test_lix_of_no_words_is_none(text):
    assert lix(text) is None
