"""The benchmark command line: trial settings never touch reports/."""

from pathlib import Path

import pytest

from bot.nlu.benchmarks.run import main


def test_a_trial_setting_reports_into_its_own_folder(tmp_path: Path) -> None:
    status = main(
        ["--report-only", "--work", str(tmp_path), "--set", "LinearIntentClassifier.dense_weight=2"]
    )

    [report] = tmp_path.glob("set-*/benchmarks.md")
    assert status == 0
    assert report.parent.name == "set-LinearIntentClassifier.dense_weight_2"
    assert "Trial run, not the production settings: `LinearIntentClassifier.dense_weight=2`" in (
        report.read_text()
    )
    assert (report.parent / "oos-tradeoff.png").is_file()


def test_a_setting_for_no_component_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--report-only", "--work", str(tmp_path), "--set", "Missing.key=1"])

    assert exit_info.value.code == 2
    assert "no pipeline component named Missing" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
