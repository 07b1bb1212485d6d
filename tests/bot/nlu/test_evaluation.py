from bot.nlu.evaluation import (
    Prediction,
    build_report,
    end_to_end_correct,
    entity_scores,
    threshold_sweep,
)


def p(expected, predicted, confidence, entities=(), found=()):
    final = predicted if confidence >= 0.5 else "nlu_fallback"
    return Prediction("t", expected, predicted, confidence, final, list(entities), list(found))


def test_fallback_is_right_only_for_out_of_scope() -> None:
    assert end_to_end_correct(p("out_of_scope", "help", 0.2), threshold=0.5)
    assert not end_to_end_correct(p("help", "help", 0.2), threshold=0.5)
    assert end_to_end_correct(p("help", "help", 0.9), threshold=0.5)
    assert not end_to_end_correct(p("out_of_scope", "help", 0.9), threshold=0.5)


def test_sweep_trades_in_scope_answers_for_caught_out_of_scope() -> None:
    predictions = [
        p("help", "help", 0.45),
        p("greet", "greet", 0.95),
        p("out_of_scope", "help", 0.55),
    ]
    rows = {row["threshold"]: row for row in threshold_sweep(predictions)}
    assert rows[0.4]["in_scope_fallback_rate"] == 0.0 and rows[0.4]["oos_caught"] == 0.0
    assert rows[0.6]["in_scope_fallback_rate"] == 0.5 and rows[0.6]["oos_caught"] == 1.0


def test_entity_scores_count_exact_spans() -> None:
    predictions = [
        p("inform", "inform", 0.9, entities=[("city", "Köln")], found=[("city", "Köln")]),
        p("inform", "inform", 0.9, entities=[("city", "Wien")], found=[("city", "Wie")]),
    ]
    assert entity_scores(predictions)["city"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "support": 2,
    }


def test_report_lists_figures_and_errors() -> None:
    predictions = [p("help", "help", 0.9), p("greet", "help", 0.8), p("greet", "greet", 0.9)]
    report, figures = build_report(predictions, threshold=0.5, train_seconds=12.34)
    assert figures["intent_accuracy"] == 2 / 3
    assert "| greet | 1.00 | 0.50 |" in report
    assert "## Misclassified (1)" in report
