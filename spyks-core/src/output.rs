//! Writing a [`Trajectory`] to files: CSV for spreadsheets and any tool, `.npy` for numpy.
//!
//! # CSV
//!
//! [`Trajectory::write_csv`] writes one header row, `t,<name> (<unit>),...` (just `<name>` for
//! a dimensionless variable), then one row per sample: the time in ms and each recorded
//! variable in its internal unit. Numbers are written with the fewest digits that read back
//! to the same f64, in plain notation (`-69.5`), or with an exponent when their magnitude is
//! below 1e-5 or from 1e16 on (`1e-300`, not 300 zeros); `NaN`, `inf` and `-inf` as such
//! (numpy, pandas and Python's `float` read all of these). Spike times go to a separate file with
//! [`Trajectory::write_spikes_csv`] (header `spike_time (ms)`).
//!
//! # npy
//!
//! [`Trajectory::write_npy`] writes, for a path `dir/run` or `dir/run.npy`:
//!
//! | file | content |
//! |---|---|
//! | `dir/run.npy` | a 2-D little-endian float64 array (C order) of shape (samples, 1 + variables): column 0 is t (ms), then the variables in [`Trajectory::names`] order |
//! | `dir/run_spikes.npy` | a 1-D float64 array of the spike times (ms), possibly empty |
//! | `dir/run_columns.json` | `{"columns": ["t", ...], "units": ["ms", ...], "spikes_unit": "ms"}` |
//!
//! In Python: `a = np.load("run.npy"); t, v = a[:, 0], a[:, 1]`,
//! `spikes = np.load("run_spikes.npy")`.
//!
//! Every failure is a [`SimError::Io`] naming the file and the system's message. A
//! trajectory whose columns do not all have one value per time is refused the same way
//! before anything is written.

use crate::error::SimError;
use crate::record::Trajectory;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The files written by [`Trajectory::write_npy`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NpyFiles {
    /// The samples: shape (samples, 1 + variables), t first.
    pub data: PathBuf,
    /// The spike times, 1-D.
    pub spikes: PathBuf,
    /// The column names and units (JSON).
    pub columns: PathBuf,
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> SimError {
    SimError::Io { path: path.display().to_string(), message: e.to_string() }
}

/// Whether a variable's unit text means dimensionless (empty or "1").
pub(crate) fn dimensionless(unit: &str) -> bool {
    unit.is_empty() || unit == "1"
}

/// A variable with its unit, as file headers and axis labels write it: `name (unit)`, or
/// `name` when dimensionless.
pub(crate) fn name_with_unit(name: &str, unit: &str) -> String {
    if dimensionless(unit) { name.to_string() } else { format!("{name} ({unit})") }
}

/// `v` with the fewest digits that read back to it, in plain notation for magnitudes in
/// `plain` and with an exponent beyond (plain notation writes 1e-300 with 300 zeros and
/// f64::MAX with 309 digits).
pub(crate) fn number_in(v: f64, plain: std::ops::Range<f64>) -> String {
    if v != 0.0 && v.is_finite() && !plain.contains(&v.abs()) { format!("{v:e}") } else { v.to_string() }
}

/// A number in a data file: [`number_in`] plain from 1e-5 to 1e16.
pub(crate) fn number(v: f64) -> String {
    number_in(v, 1e-5..1e16)
}

/// Quotes a string for JSON.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Trajectory {
    /// Checks that every column has one value per time and that names and units match the
    /// columns.
    fn check_shape(&self, path: &Path) -> Result<(), SimError> {
        if self.names.len() != self.columns.len() || self.units.len() != self.columns.len() {
            return Err(io_error(
                path,
                format!("the trajectory has {} names and {} units for {} columns", self.names.len(), self.units.len(), self.columns.len()),
            ));
        }
        for (name, col) in self.names.iter().zip(&self.columns) {
            if col.len() != self.times.len() {
                return Err(io_error(path, format!("column `{name}` has {} values for {} times", col.len(), self.times.len())));
            }
        }
        Ok(())
    }

    /// Writes the samples as CSV to `out` (see the [module documentation](crate::output)).
    /// `path` only names the destination in error messages.
    pub fn write_csv_to<W: Write>(&self, out: W, path: &Path) -> Result<(), SimError> {
        self.check_shape(path)?;
        let mut w = csv::Writer::from_writer(out);
        let err = |e: csv::Error| io_error(path, e);
        let mut header = vec!["t".to_string()];
        header.extend(self.names.iter().zip(&self.units).map(|(n, u)| name_with_unit(n, u)));
        w.write_record(&header).map_err(err)?;
        let mut row: Vec<String> = Vec::with_capacity(1 + self.columns.len());
        for (i, t) in self.times.iter().enumerate() {
            row.clear();
            row.push(number(*t));
            row.extend(self.columns.iter().map(|c| number(c[i])));
            w.write_record(&row).map_err(err)?;
        }
        w.flush().map_err(|e| io_error(path, e))
    }

    /// Writes the samples to the CSV file `path`, header `t,<name> (<unit>),...`, one row per
    /// sample (see the [module documentation](crate::output)).
    ///
    /// ```
    /// # use spyks_core::Trajectory;
    /// let tr = Trajectory { times: vec![0.0, 0.5], names: vec!["V"], units: vec!["mV"],
    ///                       columns: vec![vec![-70.0, -69.5]], ..Default::default() };
    /// let path = std::env::temp_dir().join(format!("spyks-doc-{}.csv", std::process::id()));
    /// tr.write_csv(&path).unwrap();
    /// assert_eq!(std::fs::read_to_string(&path).unwrap(), "t,V (mV)\n0,-70\n0.5,-69.5\n");
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`SimError::Io`] when the file cannot be created or written, or the trajectory's columns
    /// are inconsistent.
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<(), SimError> {
        let path = path.as_ref();
        self.check_shape(path)?;
        let f = File::create(path).map_err(|e| io_error(path, e))?;
        self.write_csv_to(BufWriter::new(f), path)
    }

    /// Writes the spike times (ms) to the CSV file `path`, one per row under the header
    /// `spike_time (ms)`.
    ///
    /// # Errors
    /// [`SimError::Io`] when the file cannot be created or written.
    pub fn write_spikes_csv(&self, path: impl AsRef<Path>) -> Result<(), SimError> {
        let path = path.as_ref();
        let f = File::create(path).map_err(|e| io_error(path, e))?;
        let mut w = csv::Writer::from_writer(BufWriter::new(f));
        w.write_record(["spike_time (ms)"]).map_err(|e| io_error(path, e))?;
        for s in &self.spikes {
            w.write_record([number(*s)]).map_err(|e| io_error(path, e))?;
        }
        w.flush().map_err(|e| io_error(path, e))
    }

    /// Writes the trajectory as `.npy` files that numpy loads directly: `<stem>.npy` (2-D
    /// float64, samples × (t, variables...)), `<stem>_spikes.npy` (1-D float64) and
    /// `<stem>_columns.json` (column names and units), where `<stem>` is `path` without a
    /// trailing `.npy`. Returns the three paths.
    ///
    /// ```
    /// # use spyks_core::Trajectory;
    /// let tr = Trajectory { times: vec![0.0, 0.5], names: vec!["V"], units: vec!["mV"],
    ///                       columns: vec![vec![-70.0, -69.5]], spikes: vec![0.25], ..Default::default() };
    /// let dir = std::env::temp_dir().join(format!("spyks-doc-npy-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let files = tr.write_npy(dir.join("run")).unwrap();
    /// assert_eq!(files.data, dir.join("run.npy"));
    /// assert_eq!(files.spikes, dir.join("run_spikes.npy"));
    /// let a = npyz::NpyFile::new(std::fs::File::open(&files.data).unwrap()).unwrap();
    /// assert_eq!(a.shape(), &[2, 2]);
    /// assert_eq!(a.into_vec::<f64>().unwrap(), vec![0.0, -70.0, 0.5, -69.5]);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    ///
    /// # Errors
    /// [`SimError::Io`] when a file cannot be created or written, `path` names no file (it is
    /// empty or ends in a separator), or the trajectory's columns are inconsistent.
    pub fn write_npy(&self, path: impl AsRef<Path>) -> Result<NpyFiles, SimError> {
        let path = path.as_ref();
        // An empty path or one ending in a separator names a folder: the suffixes would make
        // hidden files `.npy`, `_spikes.npy` and `_columns.json` in it.
        if path.file_name().is_none() || path.as_os_str().to_string_lossy().ends_with(std::path::is_separator) {
            return Err(io_error(path, "the path names a folder, not a file: give a file name such as `run.npy`"));
        }
        let stem = if path.extension().is_some_and(|e| e == "npy") { path.with_extension("") } else { path.to_path_buf() };
        let with_suffix = |suffix: &str| {
            let mut s = stem.clone().into_os_string();
            s.push(suffix);
            PathBuf::from(s)
        };
        let files = NpyFiles { data: with_suffix(".npy"), spikes: with_suffix("_spikes.npy"), columns: with_suffix("_columns.json") };
        self.check_shape(&files.data)?;

        let ncol = 1 + self.columns.len();
        let mut flat = Vec::with_capacity(self.times.len() * ncol);
        for (i, t) in self.times.iter().enumerate() {
            flat.push(*t);
            flat.extend(self.columns.iter().map(|c| c[i]));
        }
        write_f64_npy(&files.data, &[self.times.len() as u64, ncol as u64], &flat)?;
        write_f64_npy(&files.spikes, &[self.spikes.len() as u64], &self.spikes)?;

        let mut columns = vec![json_string("t")];
        columns.extend(self.names.iter().map(|n| json_string(n)));
        let mut units = vec![json_string("ms")];
        units.extend(self.units.iter().map(|u| json_string(u)));
        let json = format!("{{\"columns\": [{}], \"units\": [{}], \"spikes_unit\": \"ms\"}}\n", columns.join(", "), units.join(", "));
        std::fs::write(&files.columns, json).map_err(|e| io_error(&files.columns, e))?;
        Ok(files)
    }
}

/// Writes `data` (C order) as a float64 array of the given shape.
fn write_f64_npy(path: &Path, shape: &[u64], data: &[f64]) -> Result<(), SimError> {
    use npyz::WriterBuilder;
    let err = |e: std::io::Error| io_error(path, e);
    let f = File::create(path).map_err(err)?;
    let mut w = npyz::WriteOptions::<f64>::new().default_dtype().shape(shape).writer(BufWriter::new(f)).begin_nd().map_err(err)?;
    w.extend(data.iter().copied()).map_err(err)?;
    w.finish().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Trajectory {
        Trajectory {
            times: vec![0.0, 0.1, 0.2],
            names: vec!["V", "m"],
            units: vec!["mV", ""],
            columns: vec![vec![-70.0, -69.12345678901234, 1e-300], vec![0.0, 0.5, f64::NAN]],
            spikes: vec![0.15, 0.175],
            ..Default::default()
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("spyks-output-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn csv_header_and_round_trip() {
        let tr = sample();
        let mut buf = Vec::new();
        tr.write_csv_to(&mut buf, Path::new("memory")).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("t,V (mV),m"));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<f64>> = r.records().map(|rec| rec.unwrap().iter().map(|s| s.parse().unwrap()).collect()).collect();
        assert_eq!(rows.len(), 3);
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row[0], tr.times[i]);
            assert_eq!(row[1], tr.columns[0][i]); // exact: shortest round-trip form
        }
        assert!(rows[2][2].is_nan());
    }

    /// Huge and tiny magnitudes take an exponent: written plainly, 1e-300 took 302 characters
    /// and f64::MAX 309. Every value reads back to the same bits.
    #[test]
    fn extreme_magnitudes_are_written_with_an_exponent() {
        let values = [1e-300, 5e-324, -2.5e-6, 1e-5, 0.1, 1.5e15, 1e16, -1.7976931348623157e308, f64::INFINITY, -0.0];
        let tr = Trajectory {
            times: (0..values.len()).map(|i| i as f64).collect(),
            names: vec!["x"],
            units: vec![""],
            columns: vec![values.to_vec()],
            ..Default::default()
        };
        let mut buf = Vec::new();
        tr.write_csv_to(&mut buf, Path::new("memory")).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let cells: Vec<&str> = text.lines().skip(1).map(|l| l.split_once(',').unwrap().1).collect();
        assert_eq!(
            cells,
            ["1e-300", "5e-324", "-2.5e-6", "0.00001", "0.1", "1500000000000000", "1e16", "-1.7976931348623157e308", "inf", "-0"]
        );
        for (cell, v) in cells.iter().zip(values) {
            assert_eq!(cell.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{cell}");
        }
    }

    #[test]
    fn npy_files_read_back_with_npyz() {
        let dir = scratch("npy");
        let tr = sample();
        let files = tr.write_npy(dir.join("run.npy")).unwrap();
        assert_eq!(files.data, dir.join("run.npy"));
        let a = npyz::NpyFile::new(File::open(&files.data).unwrap()).unwrap();
        assert_eq!(a.shape(), &[3, 3]);
        assert_eq!(a.header().order(), npyz::Order::C);
        let v: Vec<f64> = a.into_vec().unwrap();
        assert_eq!(&v[..6], &[0.0, -70.0, 0.0, 0.1, -69.12345678901234, 0.5]);
        assert_eq!(v[7], 1e-300);
        assert!(v[8].is_nan());
        let s = npyz::NpyFile::new(File::open(&files.spikes).unwrap()).unwrap();
        assert_eq!(s.shape(), &[2]);
        assert_eq!(s.into_vec::<f64>().unwrap(), tr.spikes);
        let cols = std::fs::read_to_string(&files.columns).unwrap();
        assert_eq!(cols, "{\"columns\": [\"t\", \"V\", \"m\"], \"units\": [\"ms\", \"mV\", \"\"], \"spikes_unit\": \"ms\"}\n");
        // No spikes: an empty 1-D array.
        let quiet = Trajectory { spikes: vec![], ..sample() };
        let files = quiet.write_npy(dir.join("quiet")).unwrap();
        let s = npyz::NpyFile::new(File::open(&files.spikes).unwrap()).unwrap();
        assert_eq!(s.shape(), &[0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors_name_the_file() {
        let dir = scratch("err");
        let missing = dir.join("no-such-dir").join("x.csv");
        match sample().write_csv(&missing) {
            Err(SimError::Io { path, .. }) => assert_eq!(path, missing.display().to_string()),
            other => panic!("{other:?}"),
        }
        // A path without a file name: once `.npy`, `_spikes.npy` and `_columns.json` were
        // written in the folder (or the current one for an empty path).
        let sub = dir.join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        for p in [PathBuf::new(), PathBuf::from(format!("{}{}", sub.display(), std::path::MAIN_SEPARATOR))] {
            match sample().write_npy(&p) {
                Err(SimError::Io { message, .. }) => assert!(message.contains("names a folder"), "{message}"),
                other => panic!("{p:?}: {other:?}"),
            }
        }
        assert_eq!(std::fs::read_dir(&sub).unwrap().count(), 0);
        let mut bad = sample();
        bad.columns[1].pop();
        match bad.write_npy(dir.join("bad")) {
            Err(SimError::Io { message, .. }) => assert!(message.contains("column `m` has 2 values for 3 times"), "{message}"),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\u{1}µ"), "\"a\\\"b\\\\c\\u0001µ\"");
    }
}
