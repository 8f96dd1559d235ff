"""``tegula-opt`` on bad input: exit code 1, ``file:line:col: error: ...`` on stderr, never a traceback.

Most cases call ``tegula.compiler.opt.main(argv)`` in-process; a few run the
installed ``tegula-opt`` script to check the real process (exit status and
stderr of a fresh interpreter).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tegula.compiler.opt import main

GOOD_MLIR = textwrap.dedent("""\
    func.func @one_dim(%n: index, %x: memref<?xf32, strided<[1], offset: ?>>) attributes {tile.kernel} {
      %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
      %c0 = arith.constant 0 : index
      "tile.for"(%c0, %n, %bs) ({
      ^bb0(%t: !tile.tile):
        %v = "tile.load"(%x, %t) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile) -> tensor<?xf32>
        "tile.store"(%x, %t, %v) {layout = "t", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (memref<?xf32, strided<[1], offset: ?>>, !tile.tile, tensor<?xf32>) -> ()
        "tile.yield"() : () -> ()
      }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
      return
    }
    """)

MALFORMED_MLIR = textwrap.dedent("""\
    func.func @f() {
      %x = arith.constant 1 : i32
      %y = "tile.bogus"(
    }
    """)

VERIFIER_ERROR_MLIR = textwrap.dedent("""\
    func.func @f(%a: i32) -> i64 {
      %x = arith.addi %a, %a : i32
      return %x : i32
    }
    """)

GOOD_PY = textwrap.dedent("""\
    import torch
    import tegula
    import tegula.language as tl


    @tegula.kernel
    def double(x):
        out = torch.empty_like(x)
        for tile in tl.tile(x.size(0)):
            out[tile] = x[tile] * 2
        return out
    """)

EXAMPLE_ARGS = textwrap.dedent("""\


    def example_args():
        return (torch.randn(100),)
    """)

TEGULA_OPT = Path(sys.executable).with_name("tegula-opt")


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as e:  # argparse errors and --split-input-file failures
        rc = e.code
    out, err = capsys.readouterr()
    return rc, out, err


def run_script(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    exe = [str(TEGULA_OPT)] if TEGULA_OPT.exists() else [sys.executable, "-m", "tegula.compiler.opt"]
    return subprocess.run([*exe, *map(str, argv)], input=stdin, capture_output=True, text=True, timeout=300)


def assert_located(err: str, path: Path | str, line: int | None = None, col: int | None = None) -> None:
    """stderr has ``path:line:col: error:`` and no traceback."""
    assert "Traceback" not in err, err
    m = re.search(rf"^{re.escape(str(path))}:(\d+):(\d+): error: ", err, re.M)
    assert m, f"no `{path}:line:col: error:` in:\n{err}"
    if line is not None:
        assert int(m[1]) == line, err
    if col is not None:
        assert int(m[2]) == col, err


# ------------------------------------------------------------ .mlir input


def test_good_mlir_round_trips(tmp_path, capsys):
    rc, out, err = run_main(capsys, write(tmp_path, "good.mlir", GOOD_MLIR))
    assert rc == 0, err
    assert "func.func @one_dim" in out and err == ""


def test_malformed_mlir_process(tmp_path):
    path = write(tmp_path, "bad.mlir", MALFORMED_MLIR)
    proc = run_script(path)
    assert proc.returncode == 1
    assert_located(proc.stderr, path, line=3, col=21)
    assert "expected ')'" in proc.stderr
    assert proc.stdout == ""


def test_malformed_mlir_in_process(tmp_path, capsys):
    path = write(tmp_path, "bad.mlir", MALFORMED_MLIR)
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    assert_located(err, path, line=3)


def test_malformed_mlir_on_stdin():
    proc = run_script("-", stdin=MALFORMED_MLIR)
    assert proc.returncode == 1
    assert_located(proc.stderr, "<stdin>", line=3)


def test_verifier_error(tmp_path, capsys):
    path = write(tmp_path, "verify.mlir", VERIFIER_ERROR_MLIR)
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    assert_located(err, path, line=3, col=3)
    assert "doesn't match function result type" in err


def test_split_input_file_locates_the_bad_chunk(tmp_path, capsys):
    text = "func.func @ok() {\n  return\n}\n// -----\n" + VERIFIER_ERROR_MLIR
    path = write(tmp_path, "split.mlir", text)
    rc, out, err = run_main(capsys, path, "--split-input-file")
    assert rc == 1
    assert_located(err, path, line=4 + 3)


def test_missing_input_file(tmp_path, capsys):
    rc, out, err = run_main(capsys, tmp_path / "nope.mlir")
    assert rc == 1
    assert "No such file" in err and "Traceback" not in err


# ------------------------------------------------------------ pipelines and options


def test_unknown_pass_name(tmp_path, capsys):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, "--pass-pipeline=canonicalize,no-such-pass")
    assert rc == 1
    assert "no-such-pass" in err and "error:" in err
    assert "Traceback" not in err
    assert ":0:0:" not in err and "pass failed" not in err  # not reported as a failure of the input


def test_unknown_option_of_tegula_tile(tmp_path, capsys):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, "--pass-pipeline=tegula-tile{bogus=1}")
    assert rc == 1
    assert "pass 'tegula-tile' has no option 'bogus'" in err
    assert "block-sizes" in err  # lists the options it has
    assert "Traceback" not in err


@pytest.mark.parametrize("pipeline,message", [
    ("tegula-tile{block-sizes=abc}", "bad value 'abc' for option 'block-sizes'"),
    ("tegula-tile{default-block-size=x}", "bad value 'x' for option 'default-block-size'"),
    ("tegula-tile{block-sizes=16", "unbalanced"),
])
def test_bad_option_values_of_tegula_tile(tmp_path, capsys, pipeline, message):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, f"--pass-pipeline={pipeline}")
    assert rc == 1
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("config,message", [
    ("{not json", "--config is not valid JSON"),
    ("[16, 32]", "--config must be a JSON object"),
])
def test_bad_config(tmp_path, capsys, config, message):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, "--config", config)
    assert rc == 1
    assert message in err and "Traceback" not in err


def test_config_file_missing(tmp_path, capsys):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, f"--config=@{tmp_path / 'missing.json'}")
    assert rc == 1
    assert "missing.json" in err and "Traceback" not in err


def test_bad_config_value(tmp_path, capsys):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, "--emit=tiled", '--config={"block_sizes": [3]}')
    assert rc == 1
    assert "power of two" in err and "Traceback" not in err


def test_list_passes_shows_tegula_tile_and_its_tunables(capsys):
    rc, out, err = run_main(capsys, "--list-passes")
    assert rc == 0
    assert re.search(r"^tegula-tile: ", out, re.M), out
    assert "block-sizes=" in out
    assert "tunable block_sizes" in out


def test_emit_unknown_stage_mlir(tmp_path, capsys):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, "--emit=nope")
    assert rc == 1
    assert "stage named 'nope'" in err and "Traceback" not in err


def test_emit_unknown_stage_python(tmp_path, capsys):
    path = write(tmp_path, "k.py", GOOD_PY + EXAMPLE_ARGS)
    rc, out, err = run_main(capsys, path, "--emit=nope")
    assert rc == 1
    assert "'nope'" in err and "stages:" in err and "Traceback" not in err


def test_unknown_backend(tmp_path, capsys):
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capsys, path, "--emit=tiled", "--backend=nope")
    assert rc == 1
    assert "no backend named 'nope'" in err and "known backends" in err


def test_print_ir_after_all(tmp_path, capfd):
    # MLIR prints the IR from C++ straight to file descriptor 2: capture at the fd level
    path = write(tmp_path, "good.mlir", GOOD_MLIR)
    rc, out, err = run_main(capfd, path, "--pass-pipeline=tegula-tile{block-sizes=16}", "--print-ir-after-all")
    assert rc == 0, err
    assert "IR Dump After tegula-tile" in err
    assert "tile.launch" in err  # the dump is of the IR after the pass
    assert "IR Dump" not in out and "tile.launch" in out


# ------------------------------------------------------------ .py input


def test_python_input_without_example_args(tmp_path, capsys):
    path = write(tmp_path, "noargs.py", GOOD_PY)
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    assert "example_args()" in err and str(path.name) in err
    assert "Traceback" not in err


def test_python_input_works(tmp_path, capsys):
    path = write(tmp_path, "k.py", GOOD_PY + EXAMPLE_ARGS)
    rc, out, err = run_main(capsys, path)
    assert rc == 0, err
    assert "func.func @double" in out


def test_python_input_unknown_kernel(tmp_path, capsys):
    path = write(tmp_path, "k.py", GOOD_PY + EXAMPLE_ARGS)
    rc, out, err = run_main(capsys, path, "--kernel=nope")
    assert rc == 1
    assert "no kernel named 'nope'" in err


def test_python_input_without_kernels(tmp_path, capsys):
    path = write(tmp_path, "plain.py", "x = 1\n")
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    assert "no @tegula.kernel function" in err


def test_python_input_syntax_error(tmp_path):
    path = write(tmp_path, "syntax.py", "import torch\n\ndef f(:\n    pass\n")
    proc = run_script(path)
    assert proc.returncode == 1
    assert_located(proc.stderr, path, line=3, col=7)
    assert "invalid syntax" in proc.stderr


def test_python_input_with_a_bad_kernel_reports_its_line_once(tmp_path, capsys):
    text = GOOD_PY.replace("out[tile] = x[tile] * 2", "out[tile] = x[tile, 0:4]") + EXAMPLE_ARGS
    path = write(tmp_path, "badkernel.py", text)
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    line = text.splitlines().index("        out[tile] = x[tile, 0:4]") + 1
    assert_located(err, path, line=line, col=21)
    assert "slices with bounds" in err
    assert err.count("error:") == 1, err  # not `file: error: file:line:col: error: ...`
    assert "out[tile] = x[tile, 0:4]" in err  # the source line


def test_python_input_whose_code_raises(tmp_path, capsys):
    text = GOOD_PY + "\n\ndef example_args():\n    return (torch.randn(-1),)\n"
    path = write(tmp_path, "raises.py", text)
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    assert_located(err, path, line=len(text.splitlines()))
    assert "RuntimeError" in err and "negative dimension" in err


def test_python_input_that_fails_to_import(tmp_path):
    path = write(tmp_path, "boom.py", "import torch\nraise RuntimeError('boom at import')\n")
    proc = run_script(path)
    assert proc.returncode == 1
    assert_located(proc.stderr, path, line=2)
    assert "boom at import" in proc.stderr


def test_python_input_whose_host_code_raises_a_value_error(tmp_path, capsys):
    text = GOOD_PY.replace("out = torch.empty_like(x)", "n, m = x.size()\n    out = torch.empty_like(x)") + EXAMPLE_ARGS
    path = write(tmp_path, "host.py", text)
    rc, out, err = run_main(capsys, path)
    assert rc == 1
    assert_located(err, path, line=text.splitlines().index("    n, m = x.size()") + 1)
    assert "not enough values to unpack" in err
