//! Clipping to the axis box in data coordinates: plotters draws paths wherever their points
//! map, even outside the plotting area, so data beyond a fixed axis range is cut here.

/// A point in data coordinates.
pub(crate) type P = (f64, f64);

/// The axis box [x0, x1] × [y0, y1].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rect {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Rect {
    /// Whether `p` lies inside (borders included).
    pub fn contains(&self, p: P) -> bool {
        p.0 >= self.x.0 && p.0 <= self.x.1 && p.1 >= self.y.0 && p.1 <= self.y.1
    }

    /// The part of the segment a-b inside the box (Liang-Barsky); endpoints that are inside
    /// come back unchanged, bit for bit, so that clipped pieces of a polyline still join.
    /// The ends found are clamped into the box: with coordinates far beyond it the segment's
    /// parameter rounds (to 1 for a segment from x = −1e300 into a box of width 0.25), and
    /// the unclamped end fell outside, where plotters' pixel arithmetic overflows.
    pub fn segment(&self, a: P, b: P) -> Option<(P, P)> {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [(-dx, a.0 - self.x.0), (dx, self.x.1 - a.0), (-dy, a.1 - self.y.0), (dy, self.y.1 - a.1)] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        if t0 > t1 {
            return None;
        }
        let at = |t: f64| {
            let p = if t == 0.0 {
                a
            } else if t == 1.0 {
                b
            } else {
                (a.0 + t * dx, a.1 + t * dy)
            };
            (p.0.clamp(self.x.0, self.x.1), p.1.clamp(self.y.0, self.y.1))
        };
        Some((at(t0), at(t1)))
    }

    /// The pieces of a polyline inside the box; non-finite points break it.
    pub fn polyline(&self, pts: impl Iterator<Item = P>) -> Vec<Vec<P>> {
        let mut runs = vec![];
        let mut cur: Vec<P> = vec![];
        let mut prev: Option<P> = None;
        let mut single = None;
        for p in pts {
            if !(p.0.is_finite() && p.1.is_finite()) {
                runs.extend((cur.len() > 1).then(|| std::mem::take(&mut cur)));
                cur.clear();
                prev = None;
                continue;
            }
            if let Some(a) = prev {
                if let Some((c, d)) = self.segment(a, p) {
                    if cur.last() != Some(&c) {
                        runs.extend((cur.len() > 1).then(|| std::mem::take(&mut cur)));
                        cur = vec![c];
                    }
                    cur.push(d);
                }
            } else if single.is_none() && self.contains(p) {
                single = Some(p);
            }
            prev = Some(p);
        }
        runs.extend((cur.len() > 1).then_some(cur));
        // A lone finite point still shows (as a one-point path) when nothing else does.
        if runs.is_empty() {
            runs.extend(single.map(|p| vec![p]));
        }
        runs
    }
}
