//! Zero contours of a function sampled on a grid, by marching squares.

/// A straight piece of a contour: two points (x, y).
pub type Segment = ((f64, f64), (f64, f64));

/// The zero contour of `f` over [x0, x1] × [y0, y1], sampled at `(n + 1) × (n + 1)` grid
/// points: in each cell where the sign changes along an edge, the crossing is placed by linear
/// interpolation along that edge and the crossings are joined. Cells with a non-finite corner
/// are skipped. At a saddle cell (signs alternating round the corners) the value at the cell
/// centre decides which corners are joined.
///
/// Every returned point lies on a cell edge whose ends have opposite signs, so (for a
/// continuous `f`) a true zero lies within one cell edge of it.
pub(crate) fn zero_contour(f: impl Fn(f64, f64) -> f64, (x0, x1): (f64, f64), (y0, y1): (f64, f64), n: usize) -> Vec<Segment> {
    let xs: Vec<f64> = (0..=n).map(|i| x0 + (x1 - x0) * i as f64 / n as f64).collect();
    let ys: Vec<f64> = (0..=n).map(|j| y0 + (y1 - y0) * j as f64 / n as f64).collect();
    // Row-major values: v[j][i] = f(xs[i], ys[j]).
    let v: Vec<Vec<f64>> = ys.iter().map(|&y| xs.iter().map(|&x| f(x, y)).collect()).collect();
    let mut out = vec![];
    for j in 0..n {
        for i in 0..n {
            let c = [v[j][i], v[j][i + 1], v[j + 1][i + 1], v[j + 1][i]];
            if c.iter().any(|a| !a.is_finite()) {
                continue;
            }
            let p = [(xs[i], ys[j]), (xs[i + 1], ys[j]), (xs[i + 1], ys[j + 1]), (xs[i], ys[j + 1])];
            // Edge k joins corner k and corner k+1: bottom, right, top, left.
            let cross = |k: usize| -> Option<(f64, f64)> {
                let (a, b) = (c[k], c[(k + 1) % 4]);
                if (a >= 0.0) == (b >= 0.0) {
                    return None;
                }
                let t = a / (a - b);
                let (pa, pb) = (p[k], p[(k + 1) % 4]);
                Some((pa.0 + t * (pb.0 - pa.0), pa.1 + t * (pb.1 - pa.1)))
            };
            let e: [Option<(f64, f64)>; 4] = [cross(0), cross(1), cross(2), cross(3)];
            let found: Vec<(f64, f64)> = e.iter().flatten().copied().collect();
            match found.len() {
                2 => out.push((found[0], found[1])),
                4 => {
                    let e = e.map(|p| p.expect("four crossings"));
                    let centre = f(0.5 * (xs[i] + xs[i + 1]), 0.5 * (ys[j] + ys[j + 1]));
                    // Corners 0 and 2 share a sign; if the centre has it too, they are joined
                    // through the middle and the contour cuts off corners 1 and 3.
                    if (centre >= 0.0) == (c[0] >= 0.0) {
                        out.push((e[0], e[1]));
                        out.push((e[2], e[3]));
                    } else {
                        out.push((e[3], e[0]));
                        out.push((e[1], e[2]));
                    }
                }
                _ => {}
            }
        }
    }
    out
}
