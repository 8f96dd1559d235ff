"""A backend in its own package is found through the ``tegula.backends`` entry point and used."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = Path(__file__).parent / "plugins" / "tegula_interp_backend"

SCRIPT = textwrap.dedent("""
    import torch
    import tegula
    from tegula.compiler.backend import available_backends, backend_names, get_backend
    from tegula.compiler.errors import BackendUnavailableError
    from tegula.examples.softmax import softmax
    from tegula.examples.matmul import matmul
    import tegula_interp_backend

    assert "interp" in backend_names(), backend_names()
    assert available_backends()["interp"] == ""
    assert type(get_backend("interp")).__name__ == "InterpBackend"

    x = torch.randn(37, 50)
    k = tegula.Kernel(softmax.fn, backend="interp")
    torch.testing.assert_close(k(x), torch.softmax(x, -1))
    a, b = torch.randn(20, 33), torch.randn(33, 17)
    m = tegula.Kernel(matmul.fn, backend="interp")
    torch.testing.assert_close(m(a, b), a @ b, rtol=1e-4, atol=1e-4)
    assert tegula_interp_backend.CALLS["launches"] == 2, tegula_interp_backend.CALLS
    assert k.compiled()[0].backend.name == "interp"
    assert "tile.reduce" in k.emit(x, stage="interp-trace")
    try:
        get_backend("no-such-backend")
    except BackendUnavailableError as e:
        assert "interp" in str(e) and "cpu" in str(e), e
    else:
        raise AssertionError("unknown backend accepted")
    print("plugin ok")
""")


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("plugin-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--no-index", "--target", str(target), str(PLUGIN)], check=True)
    return target


def test_out_of_tree_backend_is_found_and_used(plugin_site: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(plugin_site), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "plugin ok" in result.stdout


def test_without_the_plugin_the_backend_is_unknown() -> None:
    from tegula.compiler.backend import backend_names

    assert "interp" not in backend_names()
