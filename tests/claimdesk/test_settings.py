"""Settings: defaults < TOML < environment < explicit overrides, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimdesk.settings import DEMO_CORPUS, Settings, SettingsError

pytestmark = pytest.mark.unit


def test_precedence(tmp_path):
    toml = tmp_path / "claimdesk.toml"
    toml.write_text('[claimdesk]\ntop_k = 7\nreviewer = "desk"\ndeny_outlets = "Rumour Mill, Gossip Daily"\n')
    settings = Settings.load(environ={"CLAIMDESK_TOP_K": "9"}, toml_path=toml, reviewer="ana")
    assert settings.top_k == 9 and settings.reviewer == "ana"
    assert settings.deny_outlets == frozenset({"Rumour Mill", "Gossip Daily"})
    assert settings.corpus_dir == DEMO_CORPUS


def test_defaults_derive_paths(tmp_path):
    settings = Settings.load(environ={}, data_dir=tmp_path)
    assert settings.resolved_review_url == f"sqlite:///{tmp_path / 'reviews.db'}"
    assert settings.resolved_index_dir.parent == Path(tmp_path) / "index"
    other = settings.with_overrides(corpus_dir=tmp_path / "other")
    assert other.resolved_index_dir != settings.resolved_index_dir


@pytest.mark.parametrize("environ", [{"CLAIMDESK_TOP_K": "many"}, {"CLAIMDESK_ENCODER_BACKEND": "gpu"}])
def test_bad_values_are_clear_errors(environ):
    with pytest.raises(SettingsError):
        Settings.load(environ=environ)


def test_unknown_toml_key(tmp_path):
    toml = tmp_path / "c.toml"
    toml.write_text("[claimdesk]\ntopk = 3\n")
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings.load(environ={}, toml_path=toml)


def test_statuses_from_toml_and_their_keys(tmp_path):
    from ui.keys import help_rows, key_map

    toml = tmp_path / "statuses.toml"
    toml.write_text(
        '[[claimdesk.statuses]]\nname = "Supported"\ncolour = "#2e7d32"\ndescription = "Backed by prior reporting"\n'
        '[[claimdesk.statuses]]\nname = "Needs a call"\ncolour = "#f9a825"\ndescription = "Phone the source"\n'
    )
    settings = Settings.load(environ={}, toml_path=toml)
    names = [s.name for s in settings.statuses]
    assert names == ["Unreviewed", "Supported", "Needs a call"]  # every claim starts unreviewed
    keys = key_map(names)
    assert keys["s"] == "Supported" and keys["1"] == "Supported" and keys["2"] == "Needs a call"
    assert "c" not in keys and keys["u"] == "Undo"
    assert help_rows(names)[1] == ("2", "mark Needs a call, then go to the next claim")


def test_statuses_must_be_distinct(tmp_path):
    toml = tmp_path / "dup.toml"
    toml.write_text('[[claimdesk.statuses]]\nname = "A"\n[[claimdesk.statuses]]\nname = "A"\n')
    with pytest.raises(SettingsError, match="unique"):
        Settings.load(environ={}, toml_path=toml)
    with pytest.raises(SettingsError, match="TOML"):
        Settings.load(environ={"CLAIMDESK_STATUSES": "A,B"})


def test_team_review_options():
    settings = Settings.load(environ={"CLAIMDESK_AUTH": "OIDC", "CLAIMDESK_BLIND_REVIEW": "yes",
                                      "CLAIMDESK_BLIND_REVIEWERS": "3"})
    assert (settings.auth, settings.blind_review, settings.blind_reviewers) == ("oidc", True, 3)
    assert Settings.load(environ={}).blind_review is False
    with pytest.raises(SettingsError, match="auth must be one of"):
        Settings.load(environ={"CLAIMDESK_AUTH": "password"})
    with pytest.raises(SettingsError, match="at least 2"):
        Settings.load(environ={"CLAIMDESK_BLIND_REVIEWERS": "1"})
