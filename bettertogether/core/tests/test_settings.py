"""Settings come from the environment; production refuses to start half-configured."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _run_check(env: dict[str, str], *args: str, command: str = "check"
               ) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BT_TESTING",
                                                             "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", command, *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )


def test_settings_production_without_secret_key_refuses_to_start():
    result = _run_check({"DEBUG": "false", "ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_migration_check_runs_without_production_secrets():
    """`makemigrations --check` reads only the code: a linter's job needs no secrets."""
    result = _run_check({"DEBUG": "false"}, "--check", "--dry-run", command="makemigrations")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_settings_production_without_allowed_hosts_refuses_to_start():
    result = _run_check({"DEBUG": "false", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_settings_production_passes_the_deploy_check():
    result = _run_check(
        {"DEBUG": "false", "SECRET_KEY": "k3y-" + "abcdefghij" * 6, "ALLOWED_HOSTS": "example.org"},
        "--deploy", "--fail-level", "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_lists_every_variable_settings_reads():
    source = (ROOT / "bettertogether" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - {"BT_TESTING"} <= documented, sorted(read - documented)


@pytest.mark.parametrize("path", ["/", "/people/", "/accounts/login/"])
def test_responses_carry_a_strict_content_security_policy(client, path, db):
    response = client.get(path, follow=True)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
