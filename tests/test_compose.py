"""docker-compose.yml as shipped: Docker cannot run on the development machine, so this reads the file
and checks what would otherwise only fail at `docker compose up` — commands name real entry points,
environment variables are real settings, health checks and start order are in place."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from db.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
SERVICES = ("mysql", "backend", "frontend", "pipeline", "selenium")
HEALTHCHECKED = ("mysql", "backend", "frontend", "selenium")
APP_SERVICES = ("backend", "frontend", "pipeline")
# The official mysql image's own variables, allowed on the mysql service only.
MYSQL_IMAGE_VARIABLES = {"MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"}
# Who must wait for whom to be healthy (not merely started).
HEALTHY_BEFORE = {
    "backend": {"mysql"},
    "frontend": {"backend"},
    "pipeline": {"mysql", "selenium"},
}


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))["services"]


def _command(service: dict) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):  # ["NAME=value", ...]
        return dict(entry.partition("=")[::2] for entry in environment)
    return {str(name): str(value) for name, value in environment.items()}


def _interpolated(value: str) -> str:
    """`${NAME...}` as compose would fill it in, with a placeholder value (for parsing URLs)."""
    return re.sub(r"\$\{[^}]*\}", "secret", value)


def _setting_names() -> set[str]:
    """Every environment name `Settings` reads: field names (with any prefix) and their aliases."""
    prefix = Settings.model_config.get("env_prefix", "")
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        names.add(prefix + name)
        for alias in (field.alias, field.validation_alias):
            choices = getattr(alias, "choices", [alias])
            names.update(choice for choice in choices if isinstance(choice, str))
    return {name.upper() for name in names}


def _is_entry_point(module: str) -> bool:
    """`python -m module` would run: a module, or a package with `__main__`."""
    spec = importlib.util.find_spec(module)
    if spec is None:
        return False
    if spec.submodule_search_locations is None:
        return True
    return importlib.util.find_spec(module + ".__main__") is not None


def _python_modules(services: dict[str, dict]) -> dict[str, str]:
    """service -> X for every `python -m X ...` command."""
    found = {}
    for name, service in services.items():
        command = _command(service)
        if command[:2] == ["python", "-m"] and len(command) > 2:
            found[name] = command[2]
    return found


def test_the_five_services_exist(services: dict[str, dict]) -> None:
    assert set(SERVICES) <= set(services)


def test_the_services_run_the_commands_of_their_names(services: dict[str, dict]) -> None:
    modules = _python_modules(services)
    assert modules["backend"] == "backend"
    assert modules["frontend"] == "streamlit"
    assert modules["pipeline"] == "pipeline"
    assert _command(services["pipeline"])[3:] == [
        "refresh", "--every", "6h", "--remote-url", "http://selenium:4444/wd/hub"]
    assert services["selenium"]["image"].startswith("selenium/standalone-chromium")
    assert services["selenium"]["shm_size"] == "2g"
    assert services["mysql"]["image"] == "mysql:8.4"
    assert "--character-set-server=utf8mb4" in _command(services["mysql"])


def test_every_python_module_command_names_a_real_entry_point(services: dict[str, dict]) -> None:
    missing = {name: module for name, module in _python_modules(services).items()
               if name != "pipeline" and not _is_entry_point(module)}
    assert missing == {}


def test_the_pipeline_command_names_a_real_entry_point(services: dict[str, dict]) -> None:
    # `pipeline` (python -m pipeline refresh) comes from the pipeline branch: until it is merged this
    # fails, as it should, since the pipeline service could not start.
    assert _is_entry_point(_python_modules(services)["pipeline"])


def test_a_missing_entry_point_is_found_missing() -> None:
    assert not _is_entry_point("closet_no_such_module")
    assert not _is_entry_point("tests")  # a package without __main__
    assert _is_entry_point("db") and _is_entry_point("streamlit")


def test_the_backend_listens_on_every_interface(services: dict[str, dict]) -> None:
    command = _command(services["backend"])
    assert command[command.index("--host") + 1] == "0.0.0.0"  # noqa: S104 (inside its container)
    assert command[command.index("--port") + 1] == "8000"


def test_the_streamlit_command_runs_an_existing_script_with_the_makefile_flags(
        services: dict[str, dict]) -> None:
    command = _command(services["frontend"])
    assert command[3] == "run"
    assert (PROJECT_ROOT / command[4]).is_file()
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for flag in flags:
        assert flag in makefile, f"{flag} is not a flag of the Makefile's run target"
    assert flags["--server.address"] == "0.0.0.0"  # noqa: S104 (inside its container)
    assert flags["--server.headless"] == "true"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_variables_are_settings(services: dict[str, dict], name: str) -> None:
    unknown = set(_environment(services[name])) - _setting_names()
    assert unknown == set()


def test_every_service_built_from_this_repository_sets_only_settings(services: dict[str, dict]) -> None:
    for name, service in services.items():
        if "build" in service:
            assert set(_environment(service)) <= _setting_names(), name


def test_mysql_variables_are_the_images_own(services: dict[str, dict]) -> None:
    assert set(_environment(services["mysql"])) <= MYSQL_IMAGE_VARIABLES


def test_secrets_come_from_the_environment(services: dict[str, dict]) -> None:
    environment = _environment(services["mysql"])
    for variable in ("MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD"):
        assert environment[variable].startswith(f"${{{variable}:?")
    for name in ("backend", "pipeline"):
        assert "${MYSQL_PASSWORD" in _environment(services[name])["DATABASE_URL"]
    assert _environment(services["backend"])["ADMIN_TOKEN"].startswith("${ADMIN_TOKEN")


def test_the_app_services_use_mysql(services: dict[str, dict]) -> None:
    for name in ("backend", "pipeline"):
        url = urlsplit(_interpolated(_environment(services[name])["DATABASE_URL"]))
        assert url.scheme == "mysql+pymysql"
        assert url.hostname == "mysql"
        assert "charset=utf8mb4" in url.query


def test_the_frontend_reaches_the_backend_at_its_backend_url(services: dict[str, dict]) -> None:
    """One BACKEND_URL serves the app's own calls and the shopper's browser (images, shop links), so
    the frontend shares the backend's network and the backend publishes both ports on the host."""
    url = urlsplit(_environment(services["frontend"])["BACKEND_URL"])
    assert url.hostname == "127.0.0.1"
    assert url.port == 8000
    assert services["frontend"]["network_mode"] == "service:backend"
    assert {"127.0.0.1:8000:8000", "127.0.0.1:8501:8501"} <= set(services["backend"]["ports"])


@pytest.mark.parametrize("name", HEALTHCHECKED)
def test_health_checks_exist(services: dict[str, dict], name: str) -> None:
    test = services[name]["healthcheck"]["test"]
    assert test and test[0] in ("CMD", "CMD-SHELL")


@pytest.mark.parametrize(("name", "path"), [
    ("backend", "http://127.0.0.1:8000/api/v1/ready"),
    ("frontend", "http://127.0.0.1:8501/_stcore/health"),
    ("selenium", "http://localhost:4444/status"),
])
def test_health_checks_ask_the_right_endpoint(services: dict[str, dict], name: str, path: str) -> None:
    assert path in " ".join(services[name]["healthcheck"]["test"])


def test_the_backend_health_check_path_is_a_real_route() -> None:
    from backend.main import app

    paths = set(app.openapi()["paths"])
    assert "/api/v1/ready" in paths
    assert "/api/v1/health" in paths


@pytest.mark.parametrize(("name", "needs"), sorted(HEALTHY_BEFORE.items()))
def test_services_wait_for_healthy_dependencies(services: dict[str, dict], name: str,
                                                needs: set[str]) -> None:
    depends_on = services[name]["depends_on"]
    assert isinstance(depends_on, dict), "a list form cannot say service_healthy"
    for dependency in needs:
        assert depends_on[dependency]["condition"] == "service_healthy"
        assert "healthcheck" in services[dependency]


def test_dependencies_name_services_and_the_schema_is_migrated_first(services: dict[str, dict]) -> None:
    for name, service in services.items():
        assert set(service.get("depends_on") or {}) <= set(services), name
    assert _command(services["migrate"]) == ["python", "-m", "db", "upgrade"]
    for name in ("backend", "pipeline"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
