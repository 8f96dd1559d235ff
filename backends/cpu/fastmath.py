"""Vectorizable float32 approximations of exp, log, tanh and erf for the CPU backend.

LLVM turns ``math.exp`` and friends into libm calls, which its loop vectorizer
cannot widen, so a fused loop that calls ``expf`` runs one element at a time.
These approximations use only arithmetic, selects and bit casts, which
vectorize (AVX2 here). Each is written once against a small builder
interface: ``MLIRBuilder`` emits the ops into a ``linalg.generic`` body,
``NumpyBuilder`` evaluates them on float32 arrays so that the tests can
measure their accuracy against torch (all within a few ulp).

Algorithms: exp and log are Cephes' (range reduction + minimax polynomial,
about 1 ulp); tanh uses an odd polynomial near zero and ``1 - 2/(exp(2x)+1)``
beyond; erf is the rational approximation Eigen and XLA use on [-4, 4].
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

LOG2E = 1.44269504088896341
EXP_C1 = 0.693359375
EXP_C2 = -2.12194440e-4
EXP_POLY = (1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1)
LOG_POLY = (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
            -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)
SQRTHF = 0.707106781186547524
TANH_POLY = (-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1)
ERF_ALPHA = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
             -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02)
ERF_BETA = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
            -1.42647390514189e-02)


# ------------------------------------------------------------ the algorithms

def _horner(b: Any, x: Any, coeffs: tuple) -> Any:
    acc = b.const(coeffs[0])
    for c in coeffs[1:]:
        acc = b.fma(acc, x, b.const(c))
    return acc


def exp(b: Any, x: Any) -> Any:
    """e**x: x = n*ln2 + r, e**r by a degree-6 polynomial, 2**n by building the exponent bits."""
    xc = b.min(b.max(x, b.const(-87.3365)), b.const(88.7228))
    n = b.floor(b.fma(xc, b.const(LOG2E), b.const(0.5)))
    r = b.fma(n, b.const(-EXP_C1), xc)
    r = b.fma(n, b.const(-EXP_C2), r)
    r2 = b.mul(r, r)
    p = _horner(b, r, EXP_POLY)
    y = b.add(b.fma(p, r2, r), b.const(1.0))
    scale = b.exp2i(n)
    out = b.mul(y, scale)
    out = b.select(b.lt(x, b.const(-87.3365)), b.const(0.0), out)
    out = b.select(b.gt(x, b.const(88.7228)), b.const(float("inf")), out)
    return b.select(b.isnan(x), x, out)


def log(b: Any, x: Any) -> Any:
    """ln x: x = m * 2**e with m in [sqrt(1/2), sqrt(2)), ln(m) by a degree-9 polynomial."""
    tiny = b.lt(x, b.const(1.17549435e-38))  # subnormal: scale into the normal range first
    m, e = b.frexp(b.select(tiny, b.mul(x, b.const(8388608.0)), x))  # m in [0.5, 1)
    e = b.select(tiny, b.sub(e, b.const(23.0)), e)
    small = b.lt(m, b.const(SQRTHF))
    e = b.select(small, b.sub(e, b.const(1.0)), e)
    m = b.sub(b.select(small, b.add(m, m), m), b.const(1.0))
    z = b.mul(m, m)
    y = b.mul(b.mul(_horner(b, m, LOG_POLY), m), z)
    y = b.fma(e, b.const(EXP_C2), y)
    y = b.fma(z, b.const(-0.5), y)
    out = b.fma(e, b.const(EXP_C1), b.add(m, y))
    out = b.select(b.eq(x, b.const(0.0)), b.const(float("-inf")), out)
    out = b.select(b.lt(x, b.const(0.0)), b.const(float("nan")), out)
    out = b.select(b.eq(x, b.const(float("inf"))), x, out)
    return b.select(b.isnan(x), x, out)


def tanh(b: Any, x: Any) -> Any:
    """tanh x: x + x**3 P(x**2) for |x| < 0.625, else sign(x) (1 - 2 / (exp(2|x|) + 1))."""
    ax = b.abs(x)
    z = b.mul(x, x)
    near = b.fma(b.mul(_horner(b, z, TANH_POLY), z), x, x)
    e = exp(b, b.mul(b.min(ax, b.const(9.0)), b.const(2.0)))
    far = b.sub(b.const(1.0), b.div(b.const(2.0), b.add(e, b.const(1.0))))
    far = b.copysign(b.select(b.gt(ax, b.const(9.0)), b.const(1.0), far), x)
    out = b.select(b.lt(ax, b.const(0.625)), near, far)
    return b.select(b.isnan(x), x, out)


def erf(b: Any, x: Any) -> Any:
    """erf x ~ x P(x**2) / Q(x**2) on [-4, 4] (Eigen's and XLA's approximation), +-1 beyond."""
    xc = b.min(b.max(x, b.const(-4.0)), b.const(4.0))
    x2 = b.mul(xc, xc)
    p = b.mul(xc, _horner(b, x2, ERF_ALPHA))
    q = _horner(b, x2, ERF_BETA)
    out = b.div(p, q)
    return b.select(b.isnan(x), x, out)


APPROXIMATIONS: dict[str, Callable[[Any, Any], Any]] = {"math.exp": exp, "math.log": log, "math.tanh": tanh,
                                                        "math.erf": erf}


# ------------------------------------------------------------ builders

class MLIRBuilder:
    """Emits the ops as f32 MLIR text through ``emit(text) -> ssa name``."""

    def __init__(self, emit: Callable[[str], str]) -> None:
        self.emit = emit
        self.consts: dict[float, str] = {}

    def const(self, v: float) -> str:
        if v not in self.consts:
            if v != v:
                text = "0x7FC00000"
            elif v in (float("inf"), float("-inf")):
                text = "0x7F800000" if v > 0 else "0xFF800000"
            else:
                text = repr(float(np.float32(v)))
            self.consts[v] = self.emit(f"arith.constant {text} : f32")
        return self.consts[v]

    def _bin(self, name: str, a: str, b: str) -> str:
        return self.emit(f"arith.{name} {a}, {b} : f32")

    def add(self, a: str, b: str) -> str:
        return self._bin("addf", a, b)

    def sub(self, a: str, b: str) -> str:
        return self._bin("subf", a, b)

    def mul(self, a: str, b: str) -> str:
        return self._bin("mulf", a, b)

    def div(self, a: str, b: str) -> str:
        return self._bin("divf", a, b)

    def min(self, a: str, b: str) -> str:
        return self._bin("minnumf", a, b)

    def max(self, a: str, b: str) -> str:
        return self._bin("maxnumf", a, b)

    def fma(self, a: str, b: str, c: str) -> str:
        return self.emit(f"math.fma {a}, {b}, {c} : f32")

    def floor(self, a: str) -> str:
        return self.emit(f"math.floor {a} : f32")

    def abs(self, a: str) -> str:
        return self.emit(f"math.absf {a} : f32")

    def copysign(self, a: str, b: str) -> str:
        return self.emit(f"math.copysign {a}, {b} : f32")

    def _cmp(self, pred: str, a: str, b: str) -> str:
        return self.emit(f"arith.cmpf {pred}, {a}, {b} : f32")

    def lt(self, a: str, b: str) -> str:
        return self._cmp("olt", a, b)

    def gt(self, a: str, b: str) -> str:
        return self._cmp("ogt", a, b)

    def eq(self, a: str, b: str) -> str:
        return self._cmp("oeq", a, b)

    def isnan(self, a: str) -> str:
        return self._cmp("uno", a, a)

    def select(self, c: str, a: str, b: str) -> str:
        return self.emit(f"arith.select {c}, {a}, {b} : f32")

    def exp2i(self, n: str) -> str:
        """2**n for an integral float n in [-127, 128] by building the exponent bits."""
        i = self.emit(f"arith.fptosi {n} : f32 to i32")
        c127 = self.emit("arith.constant 127 : i32")
        c23 = self.emit("arith.constant 23 : i32")
        biased = self.emit(f"arith.addi {i}, {c127} : i32")
        bits = self.emit(f"arith.shli {biased}, {c23} : i32")
        return self.emit(f"arith.bitcast {bits} : i32 to f32")

    def frexp(self, x: str) -> tuple[str, str]:
        """(m, e) with x = m * 2**e, m in [0.5, 1), for positive normal x."""
        bits = self.emit(f"arith.bitcast {x} : f32 to i32")
        c23 = self.emit("arith.constant 23 : i32")
        c126 = self.emit("arith.constant 126 : i32")
        mask = self.emit("arith.constant 8388607 : i32")  # 0x007fffff
        half = self.emit("arith.constant 1056964608 : i32")  # bits of 0.5
        exp_bits = self.emit(f"arith.shrui {bits}, {c23} : i32")
        c255 = self.emit("arith.constant 255 : i32")
        exp_bits = self.emit(f"arith.andi {exp_bits}, {c255} : i32")
        e = self.emit(f"arith.subi {exp_bits}, {c126} : i32")
        mant = self.emit(f"arith.andi {bits}, {mask} : i32")
        mant = self.emit(f"arith.ori {mant}, {half} : i32")
        m = self.emit(f"arith.bitcast {mant} : i32 to f32")
        ef = self.emit(f"arith.sitofp {e} : i32 to f32")
        return m, ef


class NumpyBuilder:
    """Evaluates the same algorithms on float32 numpy arrays (for accuracy tests)."""

    f = np.float32

    def const(self, v: float) -> np.float32:
        return np.float32(v)

    def add(self, a, b):
        return np.float32(a) + np.float32(b)

    def sub(self, a, b):
        return np.float32(a) - np.float32(b)

    def mul(self, a, b):
        return np.float32(a) * np.float32(b)

    def div(self, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.float32(a) / np.float32(b)

    def min(self, a, b):
        return np.fmin(a, b).astype(np.float32)

    def max(self, a, b):
        return np.fmax(a, b).astype(np.float32)

    def fma(self, a, b, c):
        return (np.float64(a) * np.float64(b) + np.float64(c)).astype(np.float32)

    def floor(self, a):
        return np.floor(a).astype(np.float32)

    def abs(self, a):
        return np.abs(a).astype(np.float32)

    def copysign(self, a, b):
        return np.copysign(a, b).astype(np.float32)

    def lt(self, a, b):
        return np.less(a, b)

    def gt(self, a, b):
        return np.greater(a, b)

    def eq(self, a, b):
        return np.equal(a, b)

    def isnan(self, a):
        return np.isnan(a)

    def select(self, c, a, b):
        return np.where(c, a, b).astype(np.float32)

    def exp2i(self, n):
        i = np.asarray(n).astype(np.int32)
        return ((i + 127) << 23).astype(np.int32).view(np.float32)

    def frexp(self, x):
        bits = np.asarray(x, dtype=np.float32).view(np.int32)
        e = ((bits >> 23) & 255) - 126
        m = ((bits & 0x7FFFFF) | 0x3F000000).astype(np.int32).view(np.float32)
        return m, e.astype(np.float32)


def evaluate(name: str, x: np.ndarray) -> np.ndarray:
    """Runs approximation ``name`` (``"math.exp"``, ...) on a float32 array with numpy."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(APPROXIMATIONS[name](NumpyBuilder(), np.asarray(x, dtype=np.float32)), dtype=np.float32)
