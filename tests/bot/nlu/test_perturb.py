import random

from bot.nlu.perturb import NEIGHBOURS, drop_umlauts, keyboard_typos, perturb


def test_umlauts_are_written_out() -> None:
    assert (
        drop_umlauts("Grüße aus Köln, Ärger mit der Tür")
        == "Gruesse aus Koeln, Aerger mit der Tuer"
    )


def test_perturbation_is_deterministic_for_a_seed() -> None:
    text = "Ich möchte meinen Werkstatttermin am Dienstag verschieben!"
    assert perturb(text, 7) == perturb(text, 7)
    assert {perturb(text, seed) for seed in range(20)} != {perturb(text, 7)}


def test_perturbed_text_is_lower_case_without_umlauts_or_punctuation() -> None:
    noisy = perturb("Wann ist mein Ölwechsel fällig? Danke!", 1)
    assert noisy == noisy.lower()
    assert not set(noisy) & set(".,!?;:")
    assert noisy.startswith("wann ist mein oe")


def test_typos_hit_neighbouring_keys_and_never_a_first_letter() -> None:
    rng = random.Random(0)
    text = "inspektion bremsen reifen " * 20
    noisy = keyboard_typos(text, rng, rate=0.5)
    assert len(noisy) == len(text) and noisy != text
    for original, typed, before in zip(text, noisy, " " + text, strict=False):
        if original != typed:
            assert typed in NEIGHBOURS[original]
            assert before.isalpha()


def test_digits_and_customer_numbers_survive() -> None:
    assert "k-104857" in perturb("Kundennummer K-104857", 3)
