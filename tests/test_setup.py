"""System test of the set-up that bin/serve and bin/test run on a fresh machine.

A local bare git repository, built from the Odoo tree this run uses, stands in for
Odoo's on GitHub; the cache folder is temporary; "python3" is a bare virtual
environment, as bare as a fresh Debian's. The set-up runs for real (clone, venv with
Odoo's requirements from the package index) with CRM_SETUP_ONLY=1, so it stops
before starting Odoo.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ODOO_TREE = Path(os.environ.get("ODOO_SRC") or "/opt/odoo/18.0")
# What `import odoo` and the set-up's checks need of an Odoo tree; addons/ is not.
ODOO_PARTS = ["odoo", "odoo-bin", "requirements.txt", "setup"]
HIDDEN_VARIABLES = {
    "ODOO_SRC",
    "ODOO_PYTHON",
    "ODOO_GIT_URL",
    "ADDONS_PATH",
    "PYTHONPATH",
    "VIRTUAL_ENV",
    "XDG_CACHE_HOME",
}


def git(*arguments, **environment):
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="set-up test",
        GIT_AUTHOR_EMAIL="setup@example.com",
        GIT_COMMITTER_NAME="set-up test",
        GIT_COMMITTER_EMAIL="setup@example.com",
        **environment,
    )
    result = subprocess.run(
        ["git", *arguments], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def repositories(tmp_path_factory):
    """odoo.git with branch 18.0 (a commit of the Odoo tree), other.git without it."""
    if not (ODOO_TREE / "odoo" / "release.py").exists():
        pytest.fail(f"no Odoo tree at {ODOO_TREE} to build the test repository from")
    root = tmp_path_factory.mktemp("repositories")
    odoo_git, other_git = root / "odoo.git", root / "other.git"
    git("init", "--quiet", "--bare", str(odoo_git))
    index = {"GIT_DIR": str(odoo_git), "GIT_INDEX_FILE": str(root / "index")}
    git("--work-tree", str(ODOO_TREE), "add", *ODOO_PARTS, **index)
    tree = git("write-tree", **index)
    commit = git("commit-tree", "-m", "Odoo 18.0 for the set-up test", tree, **index)
    git("--git-dir", str(odoo_git), "update-ref", "refs/heads/18.0", commit)
    git("--git-dir", str(odoo_git), "update-ref", "refs/heads/master", commit)
    git("clone", "--quiet", "--bare", "--branch=master", str(odoo_git), str(other_git))
    git("--git-dir", str(other_git), "branch", "--delete", "18.0")
    return {"odoo": odoo_git, "other": other_git, "commit": commit}


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory):
    """A python3 without Odoo's requirements, pip or packaging: a fresh machine's."""
    venv = tmp_path_factory.mktemp("fresh-python") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    return venv / "bin" / "python3"


def path_without(directory, hidden=(), python3=None):
    """A PATH directory with every command of the current PATH but the hidden ones
    (a machine without git, or without permission tools), python3 replaced."""
    directory.mkdir(parents=True, exist_ok=True)
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for entry in os.scandir(folder):
            link = directory / entry.name
            if entry.name in hidden or link.exists() or link.is_symlink():
                continue
            if os.access(entry.path, os.X_OK) and not entry.is_dir():
                link.symlink_to(entry.path)
    if python3:
        # a script, not a symlink: a venv's python is one only when called by its path
        wrapper = directory / "python3"
        wrapper.unlink(missing_ok=True)
        wrapper.write_text(f'#!/bin/sh\nexec {python3} "$@"\n')
        wrapper.chmod(0o755)
    return str(directory)


def environment(tmp_path, **settings):
    env = {k: v for k, v in os.environ.items() if k not in HIDDEN_VARIABLES}
    env = {k: v for k, v in env.items() if not k.startswith("CRM_")}
    env.update(
        CRM_CACHE_DIR=str(tmp_path / "cache"),
        CRM_DEFAULT_ODOO_SRC=str(tmp_path / "no-odoo-here"),
        CRM_SETUP_ONLY="1",
    )
    env.update({key: str(value) for key, value in settings.items()})
    return env


def run(script, env, prefix=(), repo_root=REPO_ROOT):
    return subprocess.run(
        [*prefix, str(repo_root / "bin" / script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def failure(result, *expected):
    """The error of a run that had to fail, checked to contain `expected`."""
    assert result.returncode == 1, result.stdout + result.stderr
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("error: "), result.stderr
    for text in expected:
        assert text in error, error
    return error


# --- the first run on a fresh machine, and the second one -----------------------------


@pytest.fixture(scope="module")
def fresh_machine(tmp_path_factory, repositories, fresh_python):
    tmp_path = tmp_path_factory.mktemp("fresh-machine")
    env = environment(
        tmp_path,
        ODOO_GIT_URL=repositories["odoo"],
        PATH=path_without(tmp_path / "bin", python3=fresh_python),
    )
    first = run("test", env)
    assert first.returncode == 0, first.stdout + first.stderr
    return {"env": env, "cache": tmp_path / "cache", "first": first, "tmp": tmp_path}


def test_the_first_run_clones_odoo_18(fresh_machine, repositories):
    clone = fresh_machine["cache"] / "odoo-18.0"
    assert (
        f"Fetching Odoo 18.0 from {repositories['odoo']}"
        in fresh_machine["first"].stderr
    )
    assert git("-C", str(clone), "rev-parse", "HEAD") == repositories["commit"]
    assert git("-C", str(clone), "symbolic-ref", "--short", "HEAD") == "18.0"
    assert not (fresh_machine["cache"] / "odoo-18.0.partial").exists()


def test_the_first_run_builds_a_venv_that_imports_odoo(fresh_machine):
    cache = fresh_machine["cache"]
    python = cache / "venv" / "bin" / "python"
    assert "Building a Python" in fresh_machine["first"].stderr
    assert (
        fresh_machine["first"]
        .stdout.strip()
        .endswith(f"Set up: Odoo 18.0 at {cache / 'odoo-18.0'}, run by {python}.")
    )
    env = {k: v for k, v in os.environ.items() if k not in HIDDEN_VARIABLES}
    imported = subprocess.run(
        [python, "-c", "import odoo, pytest_odoo, phonenumbers; print(odoo.__file__)"],
        cwd=cache / "odoo-18.0",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == str(cache / "odoo-18.0" / "odoo" / "__init__.py")
    resolved = (cache / "venv" / "odoo-requirements.txt").read_text()
    assert resolved.startswith("# Odoo's requirements for Python 3.")
    assert "psycopg2==" in resolved


def test_a_second_run_only_starts(fresh_machine):
    cache = fresh_machine["cache"]
    watched = [
        cache / "odoo-18.0" / ".git",
        cache / "venv" / "crm_extended-setup.json",
        cache / "venv" / "odoo-requirements.txt",
        cache / "venv" / "lib",
    ]
    before = [path.stat().st_mtime_ns for path in watched]
    # Neither the repository nor the package index may be needed again.
    env = dict(
        fresh_machine["env"],
        ODOO_GIT_URL=fresh_machine["tmp"] / "gone.git",
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
    )
    for script in ("test", "serve"):
        again = run(script, {k: str(v) for k, v in env.items()})
        assert again.returncode == 0, again.stdout + again.stderr
        assert again.stderr == ""
        assert again.stdout == fresh_machine["first"].stdout.splitlines()[-1] + "\n"
    assert [path.stat().st_mtime_ns for path in watched] == before


# --- clear errors ---------------------------------------------------------------------


def test_a_repository_without_branch_18_is_refused(tmp_path, repositories):
    env = environment(
        tmp_path, ODOO_GIT_URL=repositories["other"], ODOO_PYTHON=sys.executable
    )
    failure(run("serve", env), f"{repositories['other']} has no branch 18.0")
    assert not (tmp_path / "cache" / "odoo-18.0").exists()
    assert not (tmp_path / "cache" / "odoo-18.0.partial").exists()


def test_a_cached_checkout_of_another_branch_is_refused(tmp_path, repositories):
    cached = tmp_path / "cache" / "odoo-18.0"
    git("clone", "--quiet", "--branch=master", str(repositories["odoo"]), str(cached))
    env = environment(
        tmp_path, ODOO_GIT_URL=repositories["odoo"], ODOO_PYTHON=sys.executable
    )
    failure(
        run("serve", env),
        f"{cached} is a checkout of branch master, not of branch 18.0",
        f"rm -rf {cached}",
    )


def test_an_odoo_src_of_another_version_is_refused(tmp_path):
    tree = tmp_path / "odoo-17"
    (tree / "odoo").mkdir(parents=True)
    (tree / "odoo" / "release.py").write_text(
        "version_info = (17, 0, 0, FINAL, 0, '')\n"
    )
    (tree / "odoo-bin").write_text("")
    env = environment(tmp_path, ODOO_SRC=tree, ODOO_PYTHON=sys.executable)
    failure(run("serve", env), f"ODOO_SRC={tree} holds Odoo 17.0, not 18.0")


def test_an_odoo_python_that_cannot_run_odoo_is_refused(tmp_path, fresh_python):
    env = environment(tmp_path, ODOO_SRC=ODOO_TREE, ODOO_PYTHON=fresh_python)
    failure(
        run("serve", env),
        f"ODOO_PYTHON={fresh_python} will not do (cannot import Odoo 18.0",
        "phonenumbers is missing",
    )
    assert not (tmp_path / "cache").exists()


def test_without_git_the_error_names_it(tmp_path, repositories):
    # no git and no apt-get to install it with
    path = path_without(tmp_path / "bin", hidden={"git", "apt-get"})
    env = environment(
        tmp_path,
        ODOO_GIT_URL=repositories["odoo"],
        ODOO_PYTHON=sys.executable,
        PATH=path,
    )
    failure(run("serve", env), "missing: git (fetching Odoo 18.0", "ODOO_SRC")
    assert not (tmp_path / "cache" / "odoo-18.0").exists()


def test_the_clone_step_itself_needs_git(tmp_path, repositories, monkeypatch):
    sys.path.insert(0, str(REPO_ROOT / "bin"))
    import crm_setup

    monkeypatch.setenv("PATH", str(tmp_path))
    settings = crm_setup.Settings.from_environ(environment(tmp_path))
    with pytest.raises(crm_setup.SetupError, match="git is not installed"):
        crm_setup.clone_odoo(settings)


def unprivileged():
    """A command prefix that runs as an account that is not root; () if we are not."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.fail("setpriv (util-linux) is needed to run the set-up as a normal user")
    return (setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--")


def python_for(prefix):
    """A python3 the unprivileged account can run (root's may be out of its reach)."""
    for python in (sys.executable, "/usr/bin/python3"):
        # through a shell: setpriv's own exec may still pass where the account cannot
        probe = [*prefix, "/bin/sh", "-c", '"$0" -c pass', python]
        result = subprocess.run(probe, check=False, capture_output=True)
        if result.returncode == 0:
            return python
    pytest.fail("no python3 that the nobody account may run")


def test_without_permission_to_install_the_error_names_the_apt_get_line():
    prefix = unprivileged()
    # The set-up runs from a copy everybody may read: this checkout may be in /root.
    root = Path(tempfile.mkdtemp(prefix="crm-setup-test-"))
    try:
        root.chmod(0o755)
        repo = root / "repo"
        shutil.copytree(REPO_ROOT / "bin", repo / "bin")
        shutil.copy(REPO_ROOT / "requirements-test.txt", repo)
        path = path_without(
            root / "path", hidden={"wkhtmltopdf", "sudo"}, python3=python_for(prefix)
        )
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        env = environment(
            root, ODOO_SRC=ODOO_TREE, ODOO_PYTHON=sys.executable, PATH=path, HOME=root
        )
        result = run("test", env, prefix=prefix, repo_root=repo)
        failure(
            result,
            "missing: wkhtmltopdf (PDF reports)",
            "needs root or sudo without a password",
            "run `sudo apt-get install wkhtmltopdf`",
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
