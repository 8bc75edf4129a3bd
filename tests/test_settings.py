import json

import pytest

from pipeline.settings import Settings


def test_defaults_round_trip_through_json(tmp_path):
    s = Settings()
    path = tmp_path / "settings.json"
    s.save(path)
    assert Settings.load(path) == s
    assert json.loads(path.read_text())["resolve"]["name_threshold"] == s.resolve.name_threshold


def test_toml_overrides_one_field_and_keeps_the_rest(tmp_path):
    path = tmp_path / "inovasi.toml"
    path.write_text("batch_size = 7\n[resolve]\nname_threshold = 91.5\n", encoding="utf-8")
    s = Settings.load(path)
    assert s.batch_size == 7
    assert s.resolve.name_threshold == 91.5
    assert s.clean == Settings().clean


def test_unknown_setting_is_an_error_not_silently_ignored(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[resolve]\nname_treshold = 80\n", encoding="utf-8")
    with pytest.raises(ValueError, match="name_treshold"):
        Settings.load(path)


def test_settings_are_hashable_so_workers_can_cache_per_settings():
    assert hash(Settings()) == hash(Settings())
    assert Settings().with_section("crawl", timeout=1.0).crawl.timeout == 1.0
