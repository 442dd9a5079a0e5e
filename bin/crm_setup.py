"""The set-up behind bin/serve and bin/test, checked on every start; what is missing is
set up once, what is there is left alone.

    crm_setup.py packages MODE      install the missing Debian packages, or name them
    crm_setup.py environment MODE   find or fetch Odoo 18.0 and a Python that runs it;
                                    prints `export ODOO_SRC=... ODOO_PYTHON=...`
    crm_setup.py check MODE         run by a candidate Python: what does it lack?

MODE is serve or test (test also needs the browser, wkhtmltopdf and the test tools).
Where things come from, the first that applies:
- Odoo: ODOO_SRC; the system-wide /opt/odoo/18.0 (CRM_DEFAULT_ODOO_SRC moves it);
  <cache>/odoo-18.0, a shallow clone of branch 18.0 of ODOO_GIT_URL
  (default https://github.com/odoo/odoo).
- Python: ODOO_PYTHON; <cache>/venv once built; python3 when it already runs Odoo, the
  addon and (MODE test) the test tools; else <cache>/venv is built with Odoo's
  requirements as bin/odoo_requirements.py resolves them, and requirements-test.txt.
<cache> is CRM_CACHE_DIR, by default ${XDG_CACHE_HOME:-~/.cache}/crm_extended.
Messages go to stderr; a failure is one sentence after "error:", and exit code 1.
"""

import argparse
import ast
import fcntl
import hashlib
import importlib.metadata
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from debian_packages import PackageError, ensure_packages, missing_packages

ODOO_BRANCH = "18.0"
ODOO_VERSION = (18, 0)
DEFAULT_GIT_URL = "https://github.com/odoo/odoo"
DEFAULT_ODOO_SRC = "/opt/odoo/18.0"
ADDONS = ("crm_extended", "crm_extended_sale", "crm_extended_survey")
# Bump when the way the venv is built changes: existing venvs are then rebuilt.
VENV_RECIPE = 1
BIN = Path(__file__).resolve().parent


class SetupError(Exception):
    """A step cannot go on; the message tells the user what to do."""


def say(message):
    print(message, file=sys.stderr, flush=True)


@dataclass
class Settings:
    repo_root: Path
    odoo_src: str  # "" when unset
    odoo_python: str
    git_url: str
    cache_dir: Path
    default_odoo_src: Path

    @classmethod
    def from_environ(cls, environ=None):
        environ = os.environ if environ is None else environ
        home = environ.get("HOME") or os.path.expanduser("~")
        cache = environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
        return cls(
            repo_root=BIN.parent,
            odoo_src=environ.get("ODOO_SRC", ""),
            odoo_python=environ.get("ODOO_PYTHON", ""),
            git_url=environ.get("ODOO_GIT_URL") or DEFAULT_GIT_URL,
            cache_dir=Path(
                environ.get("CRM_CACHE_DIR") or os.path.join(cache, "crm_extended")
            ),
            default_odoo_src=Path(
                environ.get("CRM_DEFAULT_ODOO_SRC") or DEFAULT_ODOO_SRC
            ),
        )

    @property
    def cached_odoo(self):
        return self.cache_dir / f"odoo-{ODOO_BRANCH}"

    @property
    def venv(self):
        return self.cache_dir / "venv"

    @property
    def venv_python(self):
        return self.venv / "bin" / "python"


@contextmanager
def cache_lock(settings):
    """One set-up at a time per cache folder (two terminals may start bin/test)."""
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.cache_dir / ".lock", "w", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"Waiting for another set-up in {settings.cache_dir} to finish.")
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# --- Odoo's sources -------------------------------------------------------------------


def odoo_version(tree):
    """(major, minor) of the Odoo in `tree` as its release.py says, None if none."""
    tree = Path(tree)
    try:
        release = (tree / "odoo" / "release.py").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(
        r"^version_info = \(\s*([^,\s]+)\s*,\s*([^,\s]+)\s*,", release, re.MULTILINE
    )
    if not match or not (tree / "odoo-bin").is_file():
        return None
    major, minor = (part.strip("'\"") for part in match.groups())
    return tuple(int(part) if part.isdigit() else part for part in (major, minor))


def check_odoo_tree(tree, label):
    version = odoo_version(tree)
    if version is None:
        raise SetupError(
            f"no Odoo was found at {label} (no odoo-bin and odoo/release.py there); "
            "set ODOO_SRC to an Odoo 18.0 source tree, or unset it to let the set-up "
            "fetch one."
        )
    if version != ODOO_VERSION:
        raise SetupError(
            f"{label} holds Odoo {version[0]}.{version[1]}, not 18.0; crm_extended "
            "needs Odoo 18.0."
        )


def checkout_branch(tree):
    """The branch checked out in `tree`: "" for a detached HEAD, None if no git."""
    dot_git = Path(tree) / ".git"
    if dot_git.is_dir():
        head = (dot_git / "HEAD").read_text(encoding="utf-8").strip()
        prefix = "ref: refs/heads/"
        return head[len(prefix) :] if head.startswith(prefix) else ""
    if dot_git.exists() and shutil.which("git"):
        head = git("-C", str(tree), "symbolic-ref", "--short", "-q", "HEAD")
        return head.stdout.strip()
    return None


def check_cached_checkout(tree, git_url):
    branch = checkout_branch(tree)
    if branch is not None and branch != ODOO_BRANCH:
        what = f"branch {branch}" if branch else "a detached HEAD"
        raise SetupError(
            f"{tree} is a checkout of {what}, not of branch 18.0; delete it "
            f"(rm -rf {shlex.quote(str(tree))}) so that the next run fetches branch "
            f"18.0 of {git_url}, or set ODOO_SRC."
        )
    check_odoo_tree(tree, str(tree))


def git(*arguments, **kwargs):
    # Never prompt: GitHub answers a mistyped repository URL with a login prompt.
    environment = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    kwargs.setdefault("capture_output", True)
    return subprocess.run(
        ["git", *arguments], check=False, env=environment, text=True, **kwargs
    )


def odoo_source(settings):
    """(the Odoo tree to use, whether it has to be cloned first)."""
    if settings.odoo_src:
        return Path(settings.odoo_src), False
    if (settings.default_odoo_src / "odoo-bin").exists():
        return settings.default_odoo_src, False
    return settings.cached_odoo, not settings.cached_odoo.exists()


def clone_odoo(settings):
    destination, url = settings.cached_odoo, settings.git_url
    if not shutil.which("git"):
        raise SetupError(
            f"git is not installed, and it is needed to fetch Odoo 18.0 from {url}: "
            "install it (apt-get install git), or set ODOO_SRC to an Odoo 18.0 tree."
        )
    listing = git("ls-remote", "--heads", "--", url, f"refs/heads/{ODOO_BRANCH}")
    if listing.returncode:
        last = (listing.stderr.strip().splitlines() or ["no answer"])[-1]
        raise SetupError(
            f"cannot read the Odoo repository {url} ({last}); check ODOO_GIT_URL and "
            "the internet access."
        )
    if not listing.stdout.strip():
        raise SetupError(
            f"{url} has no branch 18.0, and crm_extended needs Odoo 18.0; set "
            "ODOO_GIT_URL to a repository of Odoo that has it."
        )
    say(
        f"Fetching Odoo 18.0 from {url} into {destination} (a shallow clone of a few "
        "hundred MB; usually 2-10 minutes, once)."
    )
    partial = destination.with_name(destination.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    arguments = ["--depth=1", f"--branch={ODOO_BRANCH}", "--single-branch"]
    if not sys.stderr.isatty():  # progress lines only for a person watching
        arguments.append("--quiet")
    clone = git("clone", *arguments, "--", url, str(partial), capture_output=False)
    if clone.returncode:
        shutil.rmtree(partial, ignore_errors=True)
        raise SetupError(f"cloning branch 18.0 of {url} failed (git said why above).")
    try:
        check_odoo_tree(partial, f"branch 18.0 of {url}")
    except SetupError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(destination)


def find_or_fetch_odoo(settings):
    tree, needs_clone = odoo_source(settings)
    if settings.odoo_src:
        check_odoo_tree(tree, f"ODOO_SRC={tree}")
        return tree
    if tree == settings.default_odoo_src:
        check_odoo_tree(tree, str(tree))
        return tree
    if needs_clone:
        with cache_lock(settings):
            if not tree.exists():
                clone_odoo(settings)
    check_cached_checkout(tree, settings.git_url)
    return tree


# --- Python ---------------------------------------------------------------------------


def read_text(path):
    path = Path(path)
    return path.read_text(encoding="utf-8") if path.exists() else ""


def addon_python_dependencies(repo_root):
    """The `external_dependencies` Python distributions of the addons' manifests."""
    names = []
    for addon in ADDONS:
        manifest = ast.literal_eval(read_text(repo_root / addon / "__manifest__.py"))
        names += manifest.get("external_dependencies", {}).get("python", [])
    return list(dict.fromkeys(names))


def _requirement_class():
    try:
        from packaging.requirements import Requirement
    except ImportError:
        try:  # a Python without packaging but with pip, which carries one
            from pip._vendor.packaging.requirements import Requirement
        except ImportError:
            return None
    return Requirement


def unmet_requirements(lines, any_version=False):
    """What the running Python lacks of these requirements.txt lines (markers are
    honoured; with `any_version`, any installed version will do)."""
    requirement_class = _requirement_class()
    problems = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if requirement_class is None:  # without packaging, only presence is checked
            name, specifier, marker = re.match(r"[\w.-]+", line)[0], None, None
        else:
            requirement = requirement_class(line)
            name, specifier = requirement.name, requirement.specifier
            marker = requirement.marker
        if marker is not None and not marker.evaluate():
            continue
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{name} is missing")
            continue
        if (
            specifier
            and not any_version
            and not specifier.contains(version, prereleases=True)
        ):
            problems.append(f"{name} {version} does not match {specifier}")
    return problems


def check(mode, odoo_src, repo_root):
    """The `check` command, run by the candidate Python: the list of what it lacks."""
    problems = []
    sys.path.insert(0, str(odoo_src))
    try:
        import odoo  # noqa: F401
    except Exception as error:  # noqa: BLE001 - whatever fails, this Python cannot run Odoo
        problems.append(f"cannot import Odoo 18.0 ({type(error).__name__}: {error})")
    lines = addon_python_dependencies(repo_root)
    if mode == "test":
        lines += read_text(repo_root / "requirements-test.txt").splitlines()
    return problems + unmet_requirements(lines)


def python_problem(python, mode, odoo_src):
    """None when `python` runs Odoo, the addon and (mode test) the tests; else what it
    lacks, in a few words."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [python, str(BIN / "crm_setup.py"), "check", mode]
    command.append(f"--odoo-src={odoo_src}")
    try:
        result = subprocess.run(
            command, check=False, capture_output=True, text=True, env=environment
        )
    except OSError as error:
        return f"cannot be started ({error})"
    if result.returncode == 0:
        return None
    return (result.stdout.strip() or result.stderr.strip() or "fails").splitlines()[-1]


def python3_looks_ready(settings, mode, odoo_src):
    """A quick guess, without importing Odoo, whether python3 will do without a venv:
    it has each of Odoo's requirements (any version), the addon's and the tests'."""
    odoo_requirements = read_text(Path(odoo_src) / "requirements.txt")
    if not odoo_requirements or _requirement_class() is None:
        return False
    lines = addon_python_dependencies(settings.repo_root)
    if mode == "test":
        lines += read_text(settings.repo_root / "requirements-test.txt").splitlines()
    try:
        odoo_lines = odoo_requirements.splitlines()
        odoo_lacks = unmet_requirements(odoo_lines, any_version=True)
        return not (odoo_lacks or unmet_requirements(lines))
    except Exception:  # noqa: BLE001 - an unreadable line: the real check will decide
        return False


def venv_key(odoo_src, repo_root):
    """What a built venv was made from; when that changes, the venv is updated."""
    parts = {
        "recipe": VENV_RECIPE,
        "python": "{}.{}".format(*sys.version_info[:2]),
        "odoo": read_text(Path(odoo_src) / "requirements.txt"),
        "test": read_text(repo_root / "requirements-test.txt"),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def venv_is_ready(settings, odoo_src):
    try:
        stamp = json.loads(read_text(settings.venv / "crm_extended-setup.json"))
    except ValueError:
        return False
    return settings.venv_python.exists() and stamp.get("key") == venv_key(
        odoo_src, settings.repo_root
    )


def run_visibly(command, what):
    """Run a step whose own output the user may need, on stderr (stdout is for the
    shell's exports)."""
    if subprocess.run(command, check=False, stdout=sys.stderr).returncode:
        raise SetupError(f"{what} failed (see above).")


def build_venv(settings, odoo_src):
    venv, python = settings.venv, settings.venv_python
    version = "{}.{}".format(*sys.version_info[:2])
    say(
        f"Building a Python {version} environment in {venv} with Odoo's requirements "
        "and the test tools (usually 2-5 minutes, once)."
    )
    if f"version = {version}." not in read_text(venv / "pyvenv.cfg"):
        shutil.rmtree(venv, ignore_errors=True)  # absent, broken or another Python
    if not python.exists():
        shutil.rmtree(venv, ignore_errors=True)
        run_visibly([sys.executable, "-m", "venv", str(venv)], f"creating {venv}")
    resolved = venv / "odoo-requirements.txt"
    resolver = str(BIN / "odoo_requirements.py")
    requirements = str(odoo_src / "requirements.txt")
    run_visibly(
        [str(python), resolver, requirements, f"--output={resolved}"],
        "resolving Odoo's requirements for this Python",
    )
    log_path = venv / "pip-install.log"
    # --no-compile: byte-compiling every file at install time doubles the wait; Python
    # compiles what is imported, when it is imported.
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    pip.append("--no-compile")
    test_requirements = str(settings.repo_root / "requirements-test.txt")
    with open(log_path, "w", encoding="utf-8") as log:
        install = subprocess.run(
            [*pip, "--progress-bar=off", "-r", str(resolved), "-r", test_requirements],
            check=False,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if install.returncode:
        say("".join(read_text(log_path).splitlines(True)[-40:]))
        raise SetupError(f"pip could not install the requirements (log: {log_path}).")
    problem = python_problem(str(python), "test", odoo_src)
    if problem:
        raise SetupError(
            f"the environment {venv} was built but will not do: {problem}."
        )
    stamp = {"key": venv_key(odoo_src, settings.repo_root), "python": version}
    (venv / "crm_extended-setup.json").write_text(json.dumps(stamp) + "\n", "utf-8")


def find_or_build_python(settings, mode, odoo_src):
    if settings.odoo_python:
        problem = python_problem(settings.odoo_python, mode, odoo_src)
        if problem:
            raise SetupError(
                f"ODOO_PYTHON={settings.odoo_python} will not do ({problem}); install "
                "what it lacks into it, or unset ODOO_PYTHON to let the set-up build "
                "an environment."
            )
        return settings.odoo_python
    if venv_is_ready(settings, odoo_src):
        return str(settings.venv_python)
    if python_problem(sys.executable, mode, odoo_src) is None:
        return sys.executable
    ensure_packages(missing_packages(mode, needs_clone=False, needs_venv=True))
    with cache_lock(settings):
        if not venv_is_ready(settings, odoo_src):
            build_venv(settings, odoo_src)
    return str(settings.venv_python)


# --- commands -------------------------------------------------------------------------


def command_packages(settings, mode):
    odoo_src, needs_clone = odoo_source(settings)
    needs_venv = not (
        settings.odoo_python
        or venv_is_ready(settings, odoo_src)
        or python3_looks_ready(settings, mode, odoo_src)
    )
    needs = missing_packages(mode, needs_clone=needs_clone, needs_venv=needs_venv)
    ensure_packages(needs)


def command_environment(settings, mode):
    odoo_src = find_or_fetch_odoo(settings)
    python = find_or_build_python(settings, mode, odoo_src)
    print(f"export ODOO_SRC={shlex.quote(str(odoo_src))}")
    print(f"export ODOO_PYTHON={shlex.quote(python)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["packages", "environment", "check"])
    parser.add_argument("mode", choices=["serve", "test"])
    parser.add_argument("--odoo-src", help="for check: the Odoo tree to import")
    args = parser.parse_args(argv)
    settings = Settings.from_environ()
    try:
        if args.command == "check":
            problems = check(args.mode, args.odoo_src, settings.repo_root)
            if problems:
                print("; ".join(problems))
                return 1
        elif args.command == "packages":
            command_packages(settings, args.mode)
        else:
            command_environment(settings, args.mode)
    except (SetupError, PackageError) as error:
        say(f"error: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
