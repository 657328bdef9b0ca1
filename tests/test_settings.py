"""Settings come from the environment and fail loudly on nonsense."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from common.env import env_bool, env_int, env_list, env_str

ROOT = settings.BASE_DIR


def run_python(code, **env):
    """Run Python in the project folder with nothing from our environment but PATH."""
    clean = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "DJANGO_SETTINGS_MODULE": "lang_son_affairs.settings"}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " 1 "])
def test_env_bool_reads_true(monkeypatch, value):
    monkeypatch.setenv("LSA_FLAG", value)
    assert env_bool("LSA_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off", ""])
def test_env_bool_reads_false(monkeypatch, value):
    monkeypatch.setenv("LSA_FLAG", value)
    assert env_bool("LSA_FLAG", True) is False


def test_env_bool_refuses_maybe_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("LSA_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="LSA_FLAG='maybe' is not a boolean"):
        env_bool("LSA_FLAG", False)


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("LSA_FLAG", raising=False)
    assert env_bool("LSA_FLAG", True) is True
    assert env_bool("LSA_FLAG", False) is False


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("LSA_NUMBER", "3600")
    assert env_int("LSA_NUMBER", 0) == 3600


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("LSA_NUMBER", "an hour")
    with pytest.raises(ImproperlyConfigured, match="LSA_NUMBER='an hour' is not a whole number"):
        env_int("LSA_NUMBER", 0)


def test_env_int_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("LSA_NUMBER", raising=False)
    assert env_int("LSA_NUMBER", 60) == 60


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("LSA_HOSTS", " example.org, www.example.org,, ")
    assert env_list("LSA_HOSTS", ["default"]) == ["example.org", "www.example.org"]


def test_env_list_set_but_empty_is_an_empty_list(monkeypatch):
    monkeypatch.setenv("LSA_HOSTS", "")
    assert env_list("LSA_HOSTS", ["default"]) == []


def test_env_list_default_is_a_copy(monkeypatch):
    monkeypatch.delenv("LSA_HOSTS", raising=False)
    default = ["localhost"]
    hosts = env_list("LSA_HOSTS", default)
    hosts.append("example.org")
    assert default == ["localhost"]


def test_env_str_without_value_or_default_asks_for_the_variable(monkeypatch):
    monkeypatch.delenv("LSA_TEXT", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the LSA_TEXT environment variable"):
        env_str("LSA_TEXT")


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_python(["-c", "import django; django.setup()"])
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the DJANGO_SECRET_KEY environment variable." in result.stderr


def test_production_settings_refuse_the_development_secret_key():
    from lang_son_affairs.settings import _DEV_SECRET_KEY

    result = run_python(["-c", "import django; django.setup()"], DJANGO_SECRET_KEY=_DEV_SECRET_KEY)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a private value in production" in result.stderr


def test_settings_refuse_a_debug_flag_that_is_not_a_boolean():
    result = run_python(["-c", "import django; django.setup()"], DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = run_python(["-c", "import django; django.setup(); print('started')"], DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_deploy_check_prints_no_warning_with_debug_off():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
