"""What a maintainer relies on is written down: settings in the README, CI calls the README's test command."""

from pathlib import Path

from dashboard.settings import SETTINGS_DOC, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTINGS_DOC:
        assert name in readme, name


def test_ci_runs_the_test_command_the_readme_gives() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme and "make run" in readme


def test_settings_come_from_environment_then_secrets_then_defaults(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('database_url = "sqlite:///uit-secrets.sqlite"\nprivacy_threshold = 15\n')
    from_secrets = load_settings(env={}, secrets_file=secrets)
    assert from_secrets.database_url == "sqlite:///uit-secrets.sqlite"
    assert from_secrets.privacy_threshold == 15
    from_env = load_settings(env={"DASHBOARD_PRIVACY_THRESHOLD": "20"}, secrets_file=secrets)
    assert from_env.privacy_threshold == 20
    assert load_settings(env={}, secrets_file=tmp_path / "geen.toml").privacy_threshold == 10


def test_the_docs_describe_the_five_shipped_frameworks_and_the_policy_cycle(catalog) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    data_readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    shipped = [f for f in catalog.frameworks.values() if f.id in {p.stem.replace("_", "-") for p in
                                                                  (ROOT / "data" / "frameworks").glob("*.yaml")}]
    assert len(shipped) == 5
    for text in (readme, data_readme):
        assert "vijf beleidskaders" in text and "vier beleidskaders" not in text
    gegevens = readme.split("## Gegevens", 1)[1]
    for framework in shipped:
        assert framework.short_name.split(" 20")[0] in gegevens, framework.short_name
    cycle = readme.split("## Beleidscyclus", 1)[1].split("\n## ", 1)[0]
    for part in ("tellen en vertellen", "review", "evaluatie", "Beweging", "Voortgang per actielijn", "Markdown",
                 "Word", "herinnert"):
        assert part in cycle, part
