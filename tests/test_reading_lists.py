"""The shipped PMSP96 test lists: counts per condition, and agreement with Plaut's example files."""

from pathlib import Path

import pandas as pd
import pytest

from pdplab.exceptions import DataError
from pdplab.stimuli.reading_lists import (
    CODES, READING_LISTS, glushko_1979, mccann_besner_1987, reading_list, taraban_mcclelland_1987,
)

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "reading"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference data not present")

PLAUT_VOWELS = set("aeiou@^AEIOUWY")
PLAUT_PHONEMES = PLAUT_VOWELS | set("sSCzZjfvTDpbtdkgmnhlrwyN")


def example_headers(name):
    """(spelling, pronunciation, type code) from the ``# idx spelling pronunciation freq type``
    header of every example in one of Plaut's ``.ex`` files."""
    rows = []
    for line in (REFERENCE / name).read_text().splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[0] == "#" and parts[1].isdigit():
            rows.append((parts[2], parts[3], parts[5]))
    return rows


def test_glushko_counts():
    table = glushko_1979()
    assert table["consistency"].value_counts().to_dict() == {"consistent": 43, "inconsistent": 43}
    assert table["spelling"].is_unique


def test_mccann_besner_counts():
    table = mccann_besner_1987()
    assert table["condition"].value_counts().to_dict() == {"control": 80, "pseudohomophone": 80}
    assert sorted(table.loc[table["coda_j"], "spelling"]) == ["binje", "faije", "jinje", "waije"]
    assert table.loc[table["coda_j"], "condition"].value_counts().to_dict() == {"control": 2, "pseudohomophone": 2}


def test_taraban_counts():
    table = taraban_mcclelland_1987()
    cells = table.groupby(["frequency", "regularity"], observed=False).size()
    assert len(cells) == 8 and (cells == 24).all()
    assert list(cells.index.levels[1]) == ["exception", "ambiguous", "regular-inconsistent", "regular-consistent"]


@pytest.mark.parametrize("name", sorted(READING_LISTS))
def test_lists_use_plaut_notation(name):
    table = READING_LISTS[name]()
    assert table["spelling"].str.fullmatch("[a-z]+").all()
    for accepted in table["pronunciations"]:
        assert accepted and all(set(p) <= PLAUT_PHONEMES and len(set(p) & PLAUT_VOWELS) >= 1 for p in accepted)
    assert (table["pronunciation"] == table["pronunciations"].str[0]).all()


def test_reading_list_by_name():
    assert reading_list("glushko_1979").equals(glushko_1979())
    with pytest.raises(DataError, match="no reading list 'glushko'"):
        reading_list("glushko")


@needs_reference
@pytest.mark.parametrize("name, example_file", [
    ("glushko_1979", "glushkoNW-nsyl.ex"),
    ("mccann_besner_1987", "besnerNW-nsyl.ex"),
    ("taraban_mcclelland_1987", "taraban-nsyl.ex"),
])
def test_lists_match_plaut_example_files(name, example_file):
    table = reading_list(name)
    codes = CODES[name]
    ours = []
    for row in table.itertuples():
        if name == "taraban_mcclelland_1987":
            inverse_f = {v: k for k, v in codes["frequency"].items()}
            inverse_r = {v: k for k, v in codes["regularity"].items()}
            code = f"{inverse_f[row.frequency]}-{inverse_r[row.regularity]}"
        else:
            column, mapping = next(iter(codes.items()))
            code = {v: k for k, v in mapping.items()}[getattr(row, column)]
        for pronunciation in row.pronunciations:
            ours.append((row.spelling, pronunciation, code))
    # Every example of Plaut's file (a spelling may in principle recur with another pronunciation) is a row
    # here, in the same order, and nothing else is.
    assert ours == example_headers(example_file)


def test_csv_rows_read_as_text(tmp_path, monkeypatch):
    # Spellings that pandas would take for missing values or booleans stay words.
    from pdplab.stimuli import reading_lists

    (tmp_path / "glushko_1979.csv").write_text("# a comment\nspelling,pronunciation,consistency\n"
                                               "nan,n@n,consistent\ntrue,trU|trUe,inconsistent\n")
    monkeypatch.setattr(reading_lists, "data_dir", lambda name: tmp_path)
    table = glushko_1979()
    assert table["spelling"].tolist() == ["nan", "true"]
    assert table["pronunciations"].tolist() == [("n@n",), ("trU", "trUe")]
    assert isinstance(table, pd.DataFrame)


def test_bad_shipped_table_is_one_line_error(tmp_path, monkeypatch):
    from pdplab.stimuli import reading_lists

    monkeypatch.setattr(reading_lists, "data_dir", lambda name: tmp_path)
    (tmp_path / "glushko_1979.csv").write_text("spelling,pronunciation,consistency\nbeed,bEd,regular\n")
    with pytest.raises(DataError, match="column 'consistency' holds 'regular'") as err:
        glushko_1979()
    assert "\n" not in str(err.value)
    (tmp_path / "glushko_1979.csv").write_text("spelling,pronunciation,consistency\nbeed,bEd,consistent\n"
                                               "beed,bEd,consistent\n")
    with pytest.raises(DataError, match="'beed' occurs twice"):
        glushko_1979()


@pytest.mark.parametrize("name", sorted(READING_LISTS))
def test_lists_fit_the_pmsp96_slot_code(name):
    from pdplab.models import reading

    table = READING_LISTS[name]()
    assert reading.encode_spelling(list(table["spelling"])).shape == (len(table), 105)
    every = [p for accepted in table["pronunciations"] for p in accepted]
    assert reading.encode_pronunciation(every).shape == (len(every), 61)
