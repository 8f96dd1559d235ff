// The Triton lowering of a tiled softmax: masked loads, reductions over masked lanes, masked store,
// each with an unmasked twin for full tiles (even flags: constexprs the grid function computes).
// RUN: tegula-opt %s --pass-pipeline='tegula-tile{block-sizes=4 reductions=pow2},canonicalize,cse' --emit=triton --backend=triton | filecheck %s

// CHECK-LABEL: def softmax_launch0(
// CHECK-SAME: n, x_ptr, x_size0, x_stride0, x_size1, out_ptr, out_size0, out_stride0, out_size1, [[ECOLS:even[0-9]]]: tl.constexpr, [[EROWS:even[0-9]]]: tl.constexpr):
// The ':' handle is made once, in the kernel's prologue; its block is the next power of two of the hint.
// CHECK: [[COLS:offs[0-9]+]] = 0 + tl.arange(0, 512)
// CHECK: [[CMASK:mask[0-9]+]] = [[COLS]] < x_size1
// CHECK: [[PID:pid[0-9]+]] = tl.program_id(0)
// CHECK: [[BEGIN:v[0-9]+]] = [[PID]] * 4
// CHECK: [[ROWS:offs[0-9]+]] = [[BEGIN]] + tl.arange(0, 4)
// CHECK: [[RMASK:mask[0-9]+]] = [[ROWS]] < n
// CHECK: if [[EROWS]] & [[ECOLS]]:
// CHECK-NEXT: [[X:x[0-9]+]] = tl.load(x_ptr + [[ROWS]][:, None] * x_stride0 + [[COLS]][None, :])
// CHECK-NEXT: else:
// CHECK-NEXT: [[X]] = tl.load(x_ptr + [[ROWS]][:, None] * x_stride0 + [[COLS]][None, :], mask=[[RMASK]][:, None] & [[CMASK]][None, :], other=0)
// CHECK: if [[ECOLS]]:
// CHECK-NEXT: [[M:v[0-9]+]] = [[X]]
// CHECK-NEXT: else:
// CHECK-NEXT: [[M]] = tl.where([[CMASK]][None, :], [[X]], float('-inf'))
// CHECK: [[MAX:r[0-9]+]] = tl.max([[M]], axis=1)
// The kept unit dimension is put back for the broadcast:
// CHECK: tl.broadcast_to([[MAX]][:, None], [4, 512])
// CHECK: tl.exp(
// CHECK: tl.where([[CMASK]][None, :], {{.*}}, 0)
// CHECK: tl.sum(
// CHECK: if [[EROWS]] & [[ECOLS]]:
// CHECK-NEXT: tl.store(out_ptr + [[ROWS]][:, None] * out_stride0 + [[COLS]][None, :], {{v[0-9]+}})
// CHECK-NEXT: else:
// CHECK-NEXT: tl.store(out_ptr + [[ROWS]][:, None] * out_stride0 + [[COLS]][None, :], {{.*}}, mask=[[RMASK]][:, None] & [[CMASK]][None, :])
// CHECK: def softmax_grid0(n, x, out):
// A ':' extent is even when it is its block; the rows when the launch's blocks divide n:
// CHECK: return {{.*}}, ((h{{[0-9]+}} - h{{[0-9]+}}) <= 512), (((h{{[0-9]+}} - 0) % 512 == 0), ((n - 0) % 4 == 0))
func.func @softmax(%n: index, %x: memref<?x?xf32, strided<[?, 1], offset: ?>>, %out: memref<?x?xf32, strided<[?, 1], offset: ?>>) attributes {tile.arg_names = ["n", "x", "out"], tile.kernel} {
  %bs = "tile.block_size"() {hint = 1000 : i64, id = 0 : i64, kind = "tile"} : () -> index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c1 : memref<?x?xf32, strided<[?, 1], offset: ?>>
  %rbs = "tile.block_size"(%m) {hint = 333 : i64, id = 0 : i64, kind = "reduction"} : (index) -> index
  %c0 = arith.constant 0 : index
  %row = "tile.make_tile"(%c0, %m, %rbs) : (index, index, index) -> !tile.tile
  "tile.for"(%c0, %n, %bs) ({
  ^bb0(%t: !tile.tile):
    %v = "tile.load"(%x, %t, %row) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %mx = "tile.reduce"(%v) {dim = 1 : i64, keepdim = true, kind = "max"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
    %b = "tile.broadcast"(%mx, %t, %row) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %s = arith.subf %v, %b : tensor<?x?xf32>
    %e = math.exp %s : tensor<?x?xf32>
    %sum = "tile.reduce"(%e) {dim = 1 : i64, keepdim = true, kind = "sum"} : (tensor<?x?xf32>) -> tensor<?x1xf32>
    %bs2 = "tile.broadcast"(%sum, %t, %row) : (tensor<?x1xf32>, !tile.tile, !tile.tile) -> tensor<?x?xf32>
    %r = arith.divf %e, %bs2 : tensor<?x?xf32>
    "tile.store"(%out, %t, %row, %r) {layout = "tt", operandSegmentSizes = array<i32: 1, 2, 0, 1>} : (memref<?x?xf32, strided<[?, 1], offset: ?>>, !tile.tile, !tile.tile, tensor<?x?xf32>) -> ()
    "tile.yield"() : () -> ()
  }) {operandSegmentSizes = array<i32: 1, 1, 1>} : (index, index, index) -> ()
  return
}
